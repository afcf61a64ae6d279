package io.gregor.broker.network;

import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/** The principal of a TLS client that showed a certificate, as Kafka names it by default. */
final class TlsPeer {
    private TlsPeer() {
    }

    /**
     * {@code User:} and the subject's distinguished name in RFC 2253 form (for example
     * {@code User:CN=alice,OU=apps}), which is Kafka's {@code ssl.principal.mapping.rules=DEFAULT};
     * empty without TLS or without a client certificate.
     */
    static Optional<String> principal(SslHandler tls) {
        if (tls == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
                return Optional.of("User:" + certificate.getSubjectX500Principal().getName());
            }
            return Optional.empty();
        } catch (SSLPeerUnverifiedException noCertificate) {
            return Optional.empty();
        }
    }
}
