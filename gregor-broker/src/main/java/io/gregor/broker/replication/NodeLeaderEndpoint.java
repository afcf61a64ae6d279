package io.gregor.broker.replication;

import io.gregor.broker.client.NodeClient;
import io.gregor.broker.client.NodeClients;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import io.gregor.protocol.message.OffsetForLeaderEpochRequest;
import io.gregor.protocol.message.OffsetForLeaderEpochResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A follower's connection to the leader it fetches from, over the leader's inter-broker
 * listener. The address is looked up in the metadata at each request and the connection made
 * again when it changed (a leader restarted on another port), so a fetcher outlives its
 * leader's restarts.
 *
 * <p>Both ends run the same build, so the requests go at the latest versions this build serves:
 * Fetch 17 (topic ids, the replica id in {@code replica_state}) and OffsetForLeaderEpoch 4.
 */
public final class NodeLeaderEndpoint implements LeaderEndpoint {
    private static final short FETCH_VERSION = 17;
    private static final short OFFSET_FOR_LEADER_EPOCH_VERSION = 4;
    /** The round trip allowed beyond the leader's wait, as for every inter-node request. */
    private static final long ROUND_TRIP_TIMEOUT_MS = 30_000;

    private final int leaderId;
    private final Supplier<Optional<BrokerEndpoint>> address;
    private final NodeClients clients;
    private final long fetchTimeoutMs;
    private BrokerEndpoint connectedTo;
    private NodeClient client;

    /**
     * @param address        the leader's inter-broker endpoint as the metadata has it now
     * @param fetchWaitMaxMs how long the leader holds a fetch waiting for data
     */
    public NodeLeaderEndpoint(int leaderId, Supplier<Optional<BrokerEndpoint>> address, NodeClients clients,
                              int fetchWaitMaxMs) {
        this.leaderId = leaderId;
        this.address = address;
        this.clients = clients;
        this.fetchTimeoutMs = fetchWaitMaxMs + ROUND_TRIP_TIMEOUT_MS;
    }

    @Override
    public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
        return client().map(c -> c.<FetchResponse>send(request, FETCH_VERSION, fetchTimeoutMs))
                .orElseGet(this::unknownAddress);
    }

    @Override
    public CompletableFuture<OffsetForLeaderEpochResponse> offsetForLeaderEpoch(OffsetForLeaderEpochRequest request) {
        return client().map(c -> c.<OffsetForLeaderEpochResponse>send(request, OFFSET_FOR_LEADER_EPOCH_VERSION))
                .orElseGet(this::unknownAddress);
    }

    private synchronized Optional<NodeClient> client() {
        Optional<BrokerEndpoint> current = address.get();
        if (current.isEmpty()) {
            return Optional.empty();
        }
        if (!current.get().equals(connectedTo)) {
            if (client != null) {
                client.close();
            }
            connectedTo = current.get();
            client = clients.connect(connectedTo.host(), connectedTo.port());
        }
        return Optional.of(client);
    }

    private <T> CompletableFuture<T> unknownAddress() {
        return CompletableFuture.failedFuture(new ApiException(Errors.BROKER_NOT_AVAILABLE,
                "The metadata has no inter-broker endpoint of broker " + leaderId));
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
