package io.gregor.broker.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The ssl.* settings of a broker's SSL listeners, as Kafka names them.
 *
 * @param keyStore ssl.keystore.location: the private key and certificate chain the listeners present
 * @param keyPassword ssl.key.password; unset, the key store's password
 * @param trustStore ssl.truststore.location: what client certificates are checked against; unset,
 *     the JVM's default trust store
 * @param clientAuth ssl.client.auth: required, requested or none
 * @param verifyHostname ssl.endpoint.identification.algorithm is https: a node connecting to another
 *     checks that the other's certificate names the host it connects to
 * @param allowSubjectChanges ssl.allow.dn.changes: a certificate rotated in at run time may name another subject
 * @param allowAlternativeNameChanges ssl.allow.san.changes: ... or other subject alternative names
 */
public record TlsSettings(Optional<Path> keyStore, Optional<String> keyStorePassword, String keyStoreType,
                          Optional<String> keyPassword, Optional<Path> trustStore,
                          Optional<String> trustStorePassword, String trustStoreType, String clientAuth,
                          List<String> enabledProtocols, boolean verifyHostname,
                          boolean allowSubjectChanges, boolean allowAlternativeNameChanges) {
}
