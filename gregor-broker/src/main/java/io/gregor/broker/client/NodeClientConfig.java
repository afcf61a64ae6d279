package io.gregor.broker.client;

import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link NodeClient} talks to another node.
 *
 * @param clientId the client id every request carries (the other node logs it)
 * @param connectTimeoutMs how long one TCP connect may take before it counts as failed
 * @param requestTimeoutMs default time from send to response; a request not answered by then
 *     fails with {@link java.util.concurrent.TimeoutException}
 * @param reconnectBackoffMs the least time between a failed or lost connection and the next attempt
 * @param maxResponseBytes the largest response frame accepted; a larger one closes the connection
 * @param sasl the credentials each new connection authenticates with before its first request;
 *     empty when the other nodes' listener is PLAINTEXT or SSL
 * @param tls how each new connection speaks TLS, before SASL if any; empty when the other nodes'
 *     listener is PLAINTEXT or SASL_PLAINTEXT
 */
public record NodeClientConfig(String clientId, int connectTimeoutMs, int requestTimeoutMs,
                               int reconnectBackoffMs, int maxResponseBytes, Optional<SaslClientCredentials> sasl,
                               Optional<ClientTls> tls) {
    private static final String NODE_CLIENT_ID_PREFIX = "gregor-node-";

    public NodeClientConfig {
        Objects.requireNonNull(sasl, "sasl");
        Objects.requireNonNull(tls, "tls");
        if (connectTimeoutMs <= 0 || requestTimeoutMs <= 0 || reconnectBackoffMs < 0 || maxResponseBytes <= 0) {
            throw new IllegalArgumentException("Invalid node client settings: " + this);
        }
    }

    /** Settings for PLAINTEXT listeners: no authentication. */
    public NodeClientConfig(String clientId, int connectTimeoutMs, int requestTimeoutMs, int reconnectBackoffMs,
                            int maxResponseBytes) {
        this(clientId, connectTimeoutMs, requestTimeoutMs, reconnectBackoffMs, maxResponseBytes, Optional.empty(),
                Optional.empty());
    }

    /** These settings, each connection authenticating with {@code credentials}. */
    public NodeClientConfig withSasl(SaslClientCredentials credentials) {
        return new NodeClientConfig(clientId, connectTimeoutMs, requestTimeoutMs, reconnectBackoffMs,
                maxResponseBytes, Optional.of(credentials), tls);
    }

    /** These settings, each connection speaking TLS as {@code clientTls} says. */
    public NodeClientConfig withTls(ClientTls clientTls) {
        return new NodeClientConfig(clientId, connectTimeoutMs, requestTimeoutMs, reconnectBackoffMs,
                maxResponseBytes, sasl, Optional.of(clientTls));
    }

    /** The client id node {@code nodeId}'s requests to other nodes carry. */
    public static String nodeClientId(int nodeId) {
        return NODE_CLIENT_ID_PREFIX + nodeId;
    }

    /** Whether a request's client id is one a node's requests carry (a client may use it too: check the principal). */
    public static boolean isNodeClientId(String clientId) {
        return clientId != null && clientId.startsWith(NODE_CLIENT_ID_PREFIX);
    }

    /** Kafka's broker-to-broker defaults: 30 s requests, 10 s connects, 50 ms backoff, 100 MiB frames. */
    public static NodeClientConfig defaults(String clientId) {
        return new NodeClientConfig(clientId, 10_000, 30_000, 50, 100 * 1024 * 1024);
    }
}
