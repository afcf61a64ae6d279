package io.gregor.metadata.quorum;

import io.gregor.metadata.record.MetadataRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * The ordered, durable log of metadata batches that the controller writes and every node replays.
 * {@link LocalMetadataLog} keeps it in a file for a single node; {@link RaftMetadataLog}, a Raft
 * quorum on Apache Ratis, implements the same contract for a cluster: append proposes a batch, and
 * every committed batch reaches the listener in log order, on every node.
 *
 * <p>Threading: the controller calls {@link #start} and {@link #append} from its own thread.
 * Implementations deliver committed batches one at a time, either on that same thread (the local
 * log does, during append) or on a thread of their own (the Raft log, on Ratis' apply thread,
 * also for the batches it replays while {@link #start} runs).
 */
public interface MetadataLog extends AutoCloseable {
    /**
     * Replays every batch already committed to {@code listener}, then delivers later commits to it.
     *
     * @throws IOException if the log cannot be read
     */
    void start(CommittedBatchListener listener) throws IOException;

    /**
     * Makes the batch durable and committed. The returned future completes with the batch's base
     * offset after the listener received the batch, or exceptionally if it could not be written.
     */
    CompletableFuture<Long> append(List<MetadataRecord> records);

    /**
     * Whether appends from this node can commit: always for a single node's log; for a quorum,
     * whether this node is its ready leader (the active controller).
     */
    default boolean isLeader() {
        return true;
    }

    /** The node id of the quorum's leader as this node knows it; empty for a single node's log. */
    default OptionalInt leaderId() {
        return OptionalInt.empty();
    }

    /** Nodes that follow the log without voting (broker-only nodes), as this node knows them. */
    default List<Integer> observerIds() {
        return List.of();
    }

    /**
     * Stops sending the log to a node that followed it without voting (an unregistered broker-only
     * node); completes at once when it is not one.
     */
    default CompletableFuture<Void> removeObserver(int nodeId) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Sends a request to the controller on node {@code nodeId} over the quorum's own transport
     * (its controller listener) and completes with the answer of the handler that node set with
     * {@link #serveControllerRequests}. Fails when that node is not the leader, cannot be
     * reached, or does not answer within {@code timeoutMs}. A single node has no other node.
     */
    default CompletableFuture<ByteBuffer> sendToController(int nodeId, ByteBuffer request, long timeoutMs) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("a single node has no other controller"));
    }

    /**
     * Serves the requests other nodes send with {@link #sendToController} while this node is the
     * leader. Set once, before or after {@link #start}; until then such requests fail.
     */
    default void serveControllerRequests(ControllerRequestHandler handler) {
    }

    /**
     * How far each other replica of the log (voters and observers) is, by node id, as the leader
     * knows it; empty on a node that is not the leader, and for a single node's log.
     */
    default Map<Integer, ReplicaProgress> replicaProgress() {
        return Map.of();
    }

    /** The quorum's epoch (Raft term) as this node knows it; 0 for a single node's log. */
    default long leaderEpoch() {
        return 0;
    }

    @Override
    void close() throws IOException;
}
