package io.gregor.broker.config;

/** How a listener protects its connections; named as in Kafka's listener.security.protocol.map. */
public enum SecurityProtocol {
    PLAINTEXT,
    SSL,
    SASL_PLAINTEXT,
    SASL_SSL
}
