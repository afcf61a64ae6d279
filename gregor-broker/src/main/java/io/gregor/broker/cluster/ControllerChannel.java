package io.gregor.broker.cluster;

import io.gregor.broker.client.NodeClient;
import io.gregor.broker.client.NodeClients;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.quorum.NotControllerException;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.protocol.wire.ApiMessage;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The way from this node to the active controller of the cluster: the Raft leader, reached on the
 * inter-broker listener it registered (every Gregor cluster node is broker and controller, and
 * serves the controller APIs on its broker listeners; its controller listener is Ratis').
 *
 * <p>Thread-safe; one connection per other node, kept for the node's life.
 */
public final class ControllerChannel implements AutoCloseable {
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

    /** A client to the active controller when it is another node whose endpoint this node knows. */
    public Optional<NodeClient> remote() {
        if (controller.isActive()) {
            return Optional.empty();
        }
        OptionalInt leader = controller.activeControllerId();
        if (leader.isEmpty()) {
            return Optional.empty();
        }
        return controller.image().broker(leader.getAsInt())
                .flatMap(broker -> broker.endpoint(listenerName))
                .map(this::clientFor);
    }

    /**
     * Sends a request to the active controller; fails with NOT_CONTROLLER when no other node is
     * known to be it (this node is, or there is no leader, or the leader has not registered).
     */
    public <R extends ApiMessage> CompletableFuture<R> send(ApiMessage request, short version) {
        return remote().map(client -> client.<R>send(request, version)).orElseGet(this::noController);
    }

    /** Like {@link #send(ApiMessage, short)}, failing with a TimeoutException after {@code timeoutMs}. */
    public <R extends ApiMessage> CompletableFuture<R> send(ApiMessage request, short version, long timeoutMs) {
        return remote().map(client -> client.<R>send(request, version, timeoutMs)).orElseGet(this::noController);
    }

    private <R> CompletableFuture<R> noController() {
        return CompletableFuture.failedFuture(new NotControllerException(
                "No other node is known to be the active controller", controller.activeControllerId()));
    }

    private NodeClient clientFor(BrokerEndpoint endpoint) {
        return byAddress.computeIfAbsent(endpoint.host() + ":" + endpoint.port(),
                address -> clients.connect(endpoint.host(), endpoint.port()));
    }

    @Override
    public void close() {
        byAddress.values().forEach(NodeClient::close);
        byAddress.clear();
    }
}
