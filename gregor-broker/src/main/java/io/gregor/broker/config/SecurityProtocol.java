package io.gregor.broker.config;

/** How a listener protects its connections; named as in Kafka's listener.security.protocol.map. */
public enum SecurityProtocol {
    PLAINTEXT(false, false),
    SSL(true, false),
    SASL_PLAINTEXT(false, true),
    SASL_SSL(true, true);

    private final boolean tls;
    private final boolean sasl;

    SecurityProtocol(boolean tls, boolean sasl) {
        this.tls = tls;
        this.sasl = sasl;
    }

    /** Whether connections speak TLS (with the ssl.* settings). */
    public boolean usesTls() {
        return tls;
    }

    /** Whether clients must authenticate with SASL before any request but ApiVersions. */
    public boolean usesSasl() {
        return sasl;
    }
}
