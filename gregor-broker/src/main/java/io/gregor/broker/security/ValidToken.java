package io.gregor.broker.security;

/**
 * What a bearer token that passed its checks says about the client.
 *
 * @param principalName the user the client is, from the token's principal claim
 * @param lifetimeMs how long the token stays valid from the moment it was checked; at most 0 when
 *     it is valid only thanks to the allowed clock skew
 */
record ValidToken(String principalName, long lifetimeMs) {
}
