/**
 * Delegation tokens (KIP-48, kept in the metadata log as KIP-900 does): credentials that a client
 * authenticated with a strong mechanism obtains for its workers, who authenticate with SCRAM as the
 * token's owner. The metadata holds who owns a token and until when it is valid, never its HMAC:
 * every node computes the HMAC from the secret key they share.
 */
package io.gregor.metadata.token;
