/**
 * Client quotas as Kafka defines them (KIP-13, KIP-55, KIP-546): byte-rate limits on what a user,
 * a client id or a user's client id may produce and fetch. They live in the cluster metadata, so
 * every broker enforces the same quotas and they survive restarts.
 */
package io.gregor.metadata.quota;
