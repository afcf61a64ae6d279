package io.gregor.metadata.quorum;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.ratis.grpc.GrpcTlsConfig;

/**
 * TLS between the members of the metadata quorum (Ratis over gRPC), both ways: each node shows the
 * certificate of its key store, to the nodes it connects to and to those that connect to it, and
 * checks theirs against its trust store (mutual TLS), so only nodes holding a trusted key take part.
 *
 * @param keys this node's key and certificate chain (the controller listener's key store)
 * @param trust the certificates the other nodes' are checked against (its trust store)
 * @param verifyHostname whether a node's certificate must also name the host it is reached at, as
 *     written in controller.quorum.voters (ssl.endpoint.identification.algorithm=https)
 */
public record QuorumTls(KeyManager keys, X509TrustManager trust, boolean verifyHostname) {
    public QuorumTls {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(trust, "trust");
    }

    /** The first X.509 trust manager of {@code managers} (a TrustManagerFactory's). */
    public static X509TrustManager x509(TrustManager[] managers) {
        return Arrays.stream(managers).filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("No X.509 trust manager"));
    }

    /**
     * Ratis' form. gRPC always asks for the host name check on its client side, so when it is off
     * the trust manager checks the chain alone.
     */
    GrpcTlsConfig toGrpc() {
        TrustManager checked = verifyHostname ? trust : new ChainOnly(trust);
        return new GrpcTlsConfig(keys, checked, true);
    }

    /** Checks a certificate chain against the trust store and ignores which host it was reached at. */
    private static final class ChainOnly extends X509ExtendedTrustManager {
        private final X509TrustManager trust;

        ChainOnly(X509TrustManager trust) {
            this.trust = trust;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            trust.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            trust.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            trust.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            trust.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust.getAcceptedIssuers();
        }
    }
}
