package io.gregor.broker.api.fetch;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.broker.purgatory.Purgatory;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Fetch: reads each partition's log up to the high watermark (or the last stable offset for
 * read_committed) and answers with file regions that the network layer sends without copying.
 * A follower's fetch (one carrying a replica id) reads up to the log end offset instead, and
 * first tells the leader how far the follower got, which moves the high watermark and the ISR.
 * When less than {@code minBytes} is available the request is parked in the fetch purgatory
 * until an append to one of its partitions satisfies it or {@code maxWaitMs} passes; no timer
 * polls the log.
 *
 * <p>Fetch sessions (KIP-227) are not offered: the response's session id is 0, which tells
 * clients to keep sending full fetch requests.
 */
public final class FetchHandler implements ApiHandler<FetchRequest, FetchResponse> {
    private static final UUID UUID_ZERO = new UUID(0, 0);
    /** FetchRequest isolation_level: 0 read_uncommitted, 1 read_committed. */
    private static final byte READ_COMMITTED = 1;

    private final ReplicaManager replicaManager;
    private final Purgatory<TopicPartition> fetchPurgatory;
    private final Executor ioExecutor;

    public FetchHandler(ReplicaManager replicaManager, Purgatory<TopicPartition> fetchPurgatory, Executor ioExecutor) {
        this.replicaManager = replicaManager;
        this.fetchPurgatory = fetchPurgatory;
        this.ioExecutor = ioExecutor;
    }

    @Override
    public short apiKey() {
        return ApiKey.FETCH.id();
    }

    @Override
    public short minVersion() {
        return 4;
    }

    @Override
    public short maxVersion() {
        return 17;
    }

    @Override
    public CompletableFuture<FetchResponse> handle(RequestContext context, FetchRequest request) {
        CompletableFuture<FetchResponse> response = new CompletableFuture<>();
        ioExecutor.execute(() -> {
            try {
                FetchPlan plan = plan(request);
                plan.recordFollowerProgress();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.maxWaitMs()));
                DelayedFetch fetch = new DelayedFetch(plan, request.minBytes(), deadline, response);
                fetchPurgatory.tryCompleteElseWatch(fetch, plan.partitions());
            } catch (RuntimeException e) {
                response.completeExceptionally(e);
            }
        });
        return response;
    }

    /** Resolves the request's topics (by name, or by id from v13) into partitions to read. */
    private FetchPlan plan(FetchRequest request) {
        List<FetchPlan.Item> items = new ArrayList<>();
        for (FetchRequest.FetchTopic topic : request.topics()) {
            boolean byId = !UUID_ZERO.equals(topic.topicId());
            Optional<String> name = byId ? replicaManager.topicName(topic.topicId()) : Optional.of(topic.topic());
            for (FetchRequest.FetchPartition partition : topic.partitions()) {
                items.add(new FetchPlan.Item(topic.topic(), topic.topicId(), byId, name, partition));
            }
        }
        // Before v15 the follower's id is replica_id; from v15 it is in replica_state.
        int replicaId = Math.max(request.replicaId(), request.replicaState().replicaId());
        return new FetchPlan(replicaManager, items, request.maxBytes(), request.isolationLevel() == READ_COMMITTED,
                Math.max(FetchPlan.CONSUMER, replicaId));
    }
}
