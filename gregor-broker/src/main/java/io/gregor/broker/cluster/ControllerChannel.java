package io.gregor.broker.cluster;

import io.gregor.broker.client.NodeClient;
import io.gregor.broker.client.NodeClients;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.quorum.NotControllerException;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.wire.ApiMessage;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The way from this node to the active controller of the cluster, the Raft leader: when it is a
 * broker too, its inter-broker listener (the one it registered); when it is a controller-only node
 * (or has not registered as a broker yet), its controller listener, through the metadata quorum's
 * transport ({@link QuorumControllerRoute}).
 *
 * <p>Thread-safe; one connection per other node, kept for the node's life.
 */
public final class ControllerChannel implements AutoCloseable {
    /** Kafka's broker-to-controller request timeout. */
    private static final long REQUEST_TIMEOUT_MS = 30_000;

    private final QuorumController controller;
    private final NodeClients clients;
    private final String listenerName;
    private final Map<String, NodeClient> byAddress = new ConcurrentHashMap<>();

    public ControllerChannel(QuorumController controller, NodeClients clients, String interBrokerListenerName) {
        this.controller = controller;
        this.clients = clients;
        this.listenerName = interBrokerListenerName;
    }

    /** Whether this node is the active controller, so that controller calls are local. */
    public boolean isLocal() {
        return controller.isActive();
    }

    /** The way to the active controller when it is another node this node knows of. */
    public Optional<ControllerRoute> remote() {
        if (controller.isActive()) {
            return Optional.empty();
        }
        OptionalInt leader = controller.activeControllerId();
        if (leader.isEmpty()) {
            return Optional.empty();
        }
        int leaderId = leader.getAsInt();
        return Optional.of(controller.image().broker(leaderId)
                .flatMap(broker -> broker.endpoint(listenerName))
                .<ControllerRoute>map(this::brokerRoute)
                .orElseGet(() -> new QuorumControllerRoute(controller, leaderId)));
    }

    /**
     * Sends a request to the active controller; fails with NOT_CONTROLLER when no other node is
     * known to be it (this node is, or there is no leader).
     */
    public <R extends ApiMessage> CompletableFuture<R> send(ApiMessage request, short version) {
        return send(request, version, REQUEST_TIMEOUT_MS);
    }

    /** Like {@link #send(ApiMessage, short)}, failing with a TimeoutException after {@code timeoutMs}. */
    public <R extends ApiMessage> CompletableFuture<R> send(ApiMessage request, short version, long timeoutMs) {
        return remote().map(route -> route.<R>send(request, version, timeoutMs)
                        .exceptionallyCompose(failure -> unreachable(route, failure)))
                .orElseGet(this::noController);
    }

    /**
     * A controller that cannot be reached (it died, the connection broke, no answer in time) is
     * NOT_CONTROLLER to the caller, which retries: by then the quorum may have elected another.
     */
    private <R> CompletableFuture<R> unreachable(ControllerRoute route, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof ApiException) {
            return CompletableFuture.failedFuture(cause);
        }
        NotControllerException notReached = new NotControllerException("Cannot reach the active controller at "
                + route.describe() + ": " + cause, controller.activeControllerId());
        notReached.initCause(cause);
        return CompletableFuture.failedFuture(notReached);
    }

    private <R> CompletableFuture<R> noController() {
        return CompletableFuture.failedFuture(new NotControllerException(
                "No other node is known to be the active controller", controller.activeControllerId()));
    }

    private ControllerRoute brokerRoute(BrokerEndpoint endpoint) {
        NodeClient client = byAddress.computeIfAbsent(endpoint.host() + ":" + endpoint.port(),
                address -> clients.connect(endpoint.host(), endpoint.port()));
        return new ControllerRoute() {
            @Override
            public <R extends ApiMessage> CompletableFuture<R> send(ApiMessage request, short version,
                                                                    long timeoutMs) {
                return client.send(request, version, timeoutMs);
            }

            @Override
            public String describe() {
                return client.address();
            }
        };
    }

    @Override
    public void close() {
        byAddress.values().forEach(NodeClient::close);
        byAddress.clear();
    }
}
