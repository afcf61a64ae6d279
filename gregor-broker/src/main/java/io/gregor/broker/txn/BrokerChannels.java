package io.gregor.broker.txn;

import io.gregor.broker.client.NodeClient;
import io.gregor.broker.client.NodeClients;
import io.gregor.metadata.control.QuorumController;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections from this broker to the other brokers of the cluster, by node id, on the
 * inter-broker listener they registered: how the transaction coordinator reaches the leaders of
 * a transaction's partitions (WriteTxnMarkers), and how a partition leader asks a transaction's
 * coordinator (AddPartitionsToTxn v4+).
 *
 * <p>Thread-safe; one connection per other broker, kept for this broker's life.
 */
public final class BrokerChannels implements AutoCloseable {
    private final QuorumController controller;
    private final NodeClients clients;
    private final String listenerName;
    private final Map<String, NodeClient> byAddress = new ConcurrentHashMap<>();

    public BrokerChannels(QuorumController controller, NodeClients clients, String interBrokerListenerName) {
        this.controller = controller;
        this.clients = clients;
        this.listenerName = interBrokerListenerName;
    }

    /** A client to broker {@code nodeId}, or empty while the metadata knows no endpoint of it. */
    public Optional<NodeClient> to(int nodeId) {
        return controller.image().broker(nodeId)
                .flatMap(broker -> broker.endpoint(listenerName))
                .map(endpoint -> byAddress.computeIfAbsent(endpoint.host() + ":" + endpoint.port(),
                        address -> clients.connect(endpoint.host(), endpoint.port())));
    }

    @Override
    public void close() {
        byAddress.values().forEach(NodeClient::close);
        byAddress.clear();
    }
}
