package io.gregor.broker.api.fetch;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.broker.purgatory.Purgatory;
import io.gregor.broker.quota.ClientQuotaManager;
import io.gregor.broker.replication.ReplicaSelector;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
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
import java.util.stream.Stream;

/**
 * Fetch: reads each partition's log up to the high watermark (or the last stable offset for
 * read_committed) and answers with file regions that the network layer sends without copying.
 * A follower's fetch (one carrying a replica id) reads up to the log end offset instead, and
 * first tells the leader how far the follower got, which moves the high watermark and the ISR.
 * When less than {@code minBytes} is available the request is parked in the fetch purgatory
 * until an append to one of its partitions satisfies it or {@code maxWaitMs} passes; no timer
 * polls the log.
 *
 * <p>Fetch from follower (KIP-392): with a {@code replica.selector.class}, a leader asks the
 * selector where a consumer's fetch (v11+, with the consumer's {@code client.rack} as rack_id)
 * should read; when it names a follower, the partition's answer is that follower as
 * {@code preferred_read_replica}, with no records, and the consumer fetches from the follower from
 * then on. A follower in the ISR serves such consumers up to the high watermark it learned from
 * the leader.
 *
 * <p>Fetch sessions (KIP-227), as Kafka's broker offers them: a full fetch with session epoch 0
 * from a consumer or follower opens a session when the {@link FetchSessionCache} has room (or may
 * evict for it) and its answer carries the session's id; epoch -1 asks for none (and closes the
 * session it names). An incremental fetch (the session's id and the epoch the last one left) lists
 * only partitions whose fetch position changed and those to forget; it reads all the session's
 * partitions, and its answer carries only those with news: records, an error, a preferred read
 * replica, or a high watermark or log start offset the client was not yet told. A wrong id gets
 * FETCH_SESSION_ID_NOT_FOUND, a wrong epoch INVALID_FETCH_SESSION_EPOCH, and a session opened with
 * topic names asked with ids (or the reverse) FETCH_SESSION_TOPIC_ID_ERROR, as top-level errors of
 * an answer with no partitions; the client then starts over with a full fetch. The request is
 * applied to its session, and the epoch moved on, when it arrives; the session learns what its
 * client was told when the answer goes out, so a long poll answered later compares with what the
 * client knows then.
 */
public final class FetchHandler implements ApiHandler<FetchRequest, FetchResponse> {
    private static final UUID UUID_ZERO = new UUID(0, 0);
    /** FetchRequest isolation_level: 0 read_uncommitted, 1 read_committed. */
    private static final byte READ_COMMITTED = 1;

    /** Fetch v11 added rack_id and preferred_read_replica: from it on consumers may read followers. */
    private static final short FIRST_FOLLOWER_READ_VERSION = 11;

    private final ReplicaManager replicaManager;
    private final Purgatory<TopicPartition> fetchPurgatory;
    private final Executor ioExecutor;
    private final ReplicaSelector selector;
    private final ClientQuotaManager quota;
    private final FetchSessionCache sessions;

    /** Consumers read from leaders only (no replica.selector.class). */
    public FetchHandler(ReplicaManager replicaManager, Purgatory<TopicPartition> fetchPurgatory, Executor ioExecutor) {
        this(replicaManager, fetchPurgatory, ioExecutor, ReplicaSelector.LEADER);
    }

    /**
     * @param selector where leaders send consumers to read (replica.selector.class); fetch sessions
     *     in a cache of Kafka's default size, whose meters no one reads
     */
    public FetchHandler(ReplicaManager replicaManager, Purgatory<TopicPartition> fetchPurgatory, Executor ioExecutor,
                        ReplicaSelector selector) {
        this(replicaManager, fetchPurgatory, ioExecutor, selector, ClientQuotaManager.unlimited(),
                new FetchSessionCache(FetchSessionCache.DEFAULT_SLOTS, FetchSessionCache.EVICTION_MS,
                        System::currentTimeMillis, new MetricRegistry()));
    }

    /**
     * @param quota    consumer_byte_rate, which consumers' fetches count against and followers' never do
     * @param sessions the broker's incremental fetch sessions
     */
    public FetchHandler(ReplicaManager replicaManager, Purgatory<TopicPartition> fetchPurgatory, Executor ioExecutor,
                        ReplicaSelector selector, ClientQuotaManager quota, FetchSessionCache sessions) {
        this.replicaManager = replicaManager;
        this.fetchPurgatory = fetchPurgatory;
        this.ioExecutor = ioExecutor;
        this.selector = selector;
        this.quota = quota;
        this.sessions = sessions;
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
        if (quota.active() && replicaId(request) < 0) {
            return serveWithinQuota(context, request);
        }
        return serveWhenApplied(context, request, request.maxBytes());
    }

    private CompletableFuture<FetchResponse> serveWhenApplied(RequestContext context, FetchRequest request,
                                                              int maxBytes) {
        // A consumer that assigned itself a new topic's partitions and sought to offset 0 fetches
        // at once, without a list-offsets first; like produce and list-offsets, its fetch waits
        // for a partition this broker was just made leader of and is still setting up.
        if (replicaManager.leadershipPendingForAny(request, this::partitionsOf)) {
            return replicaManager.awaitApplied().thenComposeAsync(applied -> serve(context, request, maxBytes),
                    ioExecutor);
        }
        return serve(context, request, maxBytes);
    }

    /**
     * A consumer's fetch while a consumer_byte_rate is set: it reads at most what its quota allows
     * over the window, its response's record bytes count against the quota, and a consumer over it
     * gets the response at once with the throttle time, its connection then resting (KIP-219).
     */
    private CompletableFuture<FetchResponse> serveWithinQuota(RequestContext context, FetchRequest request) {
        String user = context.userName();
        int maxBytes = (int) Math.min(request.maxBytes(), quota.maxBytesInWindow(user, context.clientId()));
        return serveWhenApplied(context, request, maxBytes).thenApply(response -> {
            long bytes = 0;
            for (FetchResponse.FetchableTopicResponse topic : response.responses()) {
                for (FetchResponse.PartitionData partition : topic.partitions()) {
                    bytes += partition.records().sizeInBytes();
                }
            }
            long throttleMs = quota.recordAndThrottleMs(user, context.clientId(), bytes);
            if (throttleMs > 0) {
                context.throttle().throttle(throttleMs);
                response.setThrottleTimeMs((int) throttleMs);
            }
            return response;
        });
    }

    /** Before v15 the follower's id is replica_id; from v15 it is in replica_state; -1 for a consumer. */
    public static int replicaId(FetchRequest request) {
        return Math.max(request.replicaId(), request.replicaState().replicaId());
    }

    private Stream<TopicPartition> partitionsOf(FetchRequest request) {
        return request.topics().stream().flatMap(topic -> (UUID_ZERO.equals(topic.topicId())
                ? Optional.of(topic.topic()) : replicaManager.topicName(topic.topicId())).stream()
                .flatMap(name -> topic.partitions().stream().map(p -> new TopicPartition(name, p.partition()))));
    }

    private CompletableFuture<FetchResponse> serve(RequestContext context, FetchRequest request, int maxBytes) {
        CompletableFuture<FetchResponse> response = new CompletableFuture<>();
        FetchPlan plan;
        try {
            SessionContext session = SessionContext.of(sessions, request, context.apiVersion(), replicaId(request) >= 0);
            if (session instanceof SessionContext.Failed failed) {
                return CompletableFuture.completedFuture(new FetchResponse().setErrorCode(failed.error().code())
                        .setSessionId(FetchSession.NO_SESSION));
            }
            plan = plan(context, request, maxBytes, session);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (plan.readsOnlyCachedTails()) {
            // No file I/O that can wait for a disk: a consumer that keeps up has nothing to read
            // yet (it is parked, and the data that completes it is read on the thread that
            // appended it), or reads the tail just written. Served here on the network thread:
            // waking an I/O thread and then this thread again cost a consumer on two cores some
            // 7% of its throughput (docs/benchmarks.md).
            // A consumer catching up on older segments, whose pages may be on disk only, is read
            // on an I/O thread.
            readOrPark(plan, request, response);
        } else {
            ioExecutor.execute(() -> readOrPark(plan, request, response));
        }
        return response;
    }

    private void readOrPark(FetchPlan plan, FetchRequest request, CompletableFuture<FetchResponse> response) {
        try {
            plan.recordFollowerProgress();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.maxWaitMs()));
            DelayedFetch fetch = new DelayedFetch(plan, request.minBytes(), deadline, response);
            fetchPurgatory.tryCompleteElseWatch(fetch, plan.partitions());
        } catch (RuntimeException e) {
            response.completeExceptionally(e);
        }
    }

    /**
     * Resolves the partitions to read (by topic name, or by id from v13): the request's, or in an
     * incremental fetch its session's.
     */
    private FetchPlan plan(RequestContext context, FetchRequest request, int maxBytes, SessionContext session) {
        int replicaId = replicaId(request);
        // As in Kafka: a follower needs CLUSTER_ACTION on the cluster, a consumer READ on each topic.
        boolean followerAllowed = replicaId < 0 || context.authorizedOnCluster(AclOperation.CLUSTER_ACTION);
        TopicResolver topics = new TopicResolver(context, replicaId, followerAllowed);
        List<FetchPlan.Item> items = new ArrayList<>();
        if (session instanceof SessionContext.Incremental incremental) {
            for (CachedPartition cached : incremental.partitions()) {
                items.add(topics.item(cached.topic(), cached.topicId(), cached.request(), cached));
            }
        } else {
            for (FetchRequest.FetchTopic topic : request.topics()) {
                for (FetchRequest.FetchPartition partition : topic.partitions()) {
                    items.add(topics.item(topic.topic(), topic.topicId(), partition, null));
                }
            }
        }
        FetchPlan.ConsumerOrigin consumer = replicaId >= 0 || context.apiVersion() < FIRST_FOLLOWER_READ_VERSION
                ? FetchPlan.ConsumerOrigin.LEADER_ONLY
                : new FetchPlan.ConsumerOrigin(true, request.rackId() == null ? "" : request.rackId(), selector);
        return new FetchPlan(replicaManager, items, maxBytes, request.isolationLevel() == READ_COMMITTED,
                Math.max(FetchPlan.CONSUMER, replicaId), consumer, session);
    }

    /**
     * Names the topics of one request's partitions and checks that it may read them, once per topic
     * of a run of partitions of the same topic (requests and sessions list a topic's partitions together).
     */
    private final class TopicResolver {
        private final RequestContext context;
        private final int replicaId;
        private final boolean followerAllowed;
        private String lastTopic;
        private UUID lastTopicId;
        private Optional<String> name;
        private boolean refused;

        TopicResolver(RequestContext context, int replicaId, boolean followerAllowed) {
            this.context = context;
            this.replicaId = replicaId;
            this.followerAllowed = followerAllowed;
        }

        FetchPlan.Item item(String topic, UUID topicId, FetchRequest.FetchPartition partition, CachedPartition cached) {
            boolean byId = !UUID_ZERO.equals(topicId);
            if (!topic.equals(lastTopic) || !topicId.equals(lastTopicId)) {
                lastTopic = topic;
                lastTopicId = topicId;
                name = byId ? replicaManager.topicName(topicId) : Optional.of(topic);
                refused = !followerAllowed || (replicaId < 0 && name.isPresent()
                        && !context.authorized(AclOperation.READ, AclResourceType.TOPIC, name.get()));
            }
            return new FetchPlan.Item(topic, topicId, byId, refused ? Optional.empty() : name, partition, refused,
                    cached);
        }
    }
}
