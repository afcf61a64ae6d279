package io.gregor.broker.replication;

import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import io.gregor.protocol.message.OffsetForLeaderEpochRequest;
import io.gregor.protocol.message.OffsetForLeaderEpochResponse;
import java.util.concurrent.CompletableFuture;

/**
 * How a follower reaches the broker that leads its partitions: the two requests replication
 * needs. Over the network in a cluster; tests wire two brokers' handlers together in-process.
 * Record batches in a fetch response arrive as {@link io.gregor.protocol.record.MemoryRecords}.
 */
public interface LeaderEndpoint extends AutoCloseable {
    CompletableFuture<FetchResponse> fetch(FetchRequest request);

    CompletableFuture<OffsetForLeaderEpochResponse> offsetForLeaderEpoch(OffsetForLeaderEpochRequest request);

    @Override
    void close();
}
