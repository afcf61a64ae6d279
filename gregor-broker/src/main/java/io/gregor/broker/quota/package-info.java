/**
 * Enforcement of client quotas (KIP-13, KIP-55, KIP-219): each broker measures the bytes each
 * user and client id produce and fetch, over a window of samples, and throttles the connections
 * of those over their quota. The quotas come from the metadata image.
 */
package io.gregor.broker.quota;
