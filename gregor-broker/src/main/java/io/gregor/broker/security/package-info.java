/**
 * SASL authentication of client connections on SASL_PLAINTEXT and SASL_SSL listeners: the
 * mechanisms (PLAIN against users from a JAAS configuration, SCRAM-SHA-256/512 against the
 * credentials in the cluster metadata, OAUTHBEARER against an identity provider's signing keys or,
 * for development, unsecured tokens), what each listener offers, and the exchange one
 * connection goes through before its first other request (KIP-43, KIP-152).
 */
package io.gregor.broker.security;
