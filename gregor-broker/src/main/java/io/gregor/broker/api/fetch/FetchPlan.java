package io.gregor.broker.api.fetch;

import io.gregor.broker.metrics.BrokerTopicMetrics;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.partition.ReadOutcome;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.broker.replication.ReplicaSelector;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.storage.txn.AbortedTxn;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * The partitions one fetch request reads, in request order, and the reading itself. A plan
 * can be read more than once: a parked fetch re-reads it when woken.
 */
final class FetchPlan {
    /**
     * Errors of a partition's read that a client is expected to meet and that Kafka does not count
     * in FailedFetchRequestsPerSec: the leader moving, the partition gone or not yet here, an offset
     * out of range, a disk taken offline, an unauthorized topic.
     */
    private static final Set<Errors> EXPECTED_READ_ERRORS = EnumSet.of(Errors.NOT_LEADER_OR_FOLLOWER,
            Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_ID, Errors.INCONSISTENT_TOPIC_ID,
            Errors.FENCED_LEADER_EPOCH, Errors.UNKNOWN_LEADER_EPOCH, Errors.REPLICA_NOT_AVAILABLE,
            Errors.OFFSET_OUT_OF_RANGE, Errors.KAFKA_STORAGE_ERROR, Errors.TOPIC_AUTHORIZATION_FAILED);

    /**
     * One partition asked for. {@code refused}: the principal may not read it; its name is then
     * left unresolved, so nothing reads, waits for or learns about it. {@code cached}: in an
     * incremental fetch, the partition in its session, which tells whether the answer carries
     * it; null otherwise.
     */
    record Item(String topic, UUID topicId, boolean byId, Optional<String> resolvedName,
                FetchRequest.FetchPartition request, boolean refused, CachedPartition cached) {
    }

    /**
     * One reading of the plan: the response, how many record bytes it carries, and whether it must
     * be sent now whatever its size (a partition failed, the consumer is sent to another replica,
     * or a follower gets a high watermark it has not seen). {@code sent}: the items the response
     * carries, in its order; all of them but in an incremental fetch, which carries those with news.
     */
    record Result(FetchResponse response, List<Item> sent, long bytes, boolean answerNow) {
    }

    /** The replica id of a consumer's fetch. */
    static final int CONSUMER = -1;

    private final ReplicaManager replicaManager;
    private final List<Item> items;
    private final int maxBytes;
    private final boolean readCommitted;
    private final int replicaId;
    private final ConsumerOrigin consumer;
    private final SessionContext session;

    /**
     * A consumer's standing for fetch from follower (KIP-392).
     *
     * @param followerReadsAllowed whether the request may read followers (a consumer's Fetch v11+)
     * @param clientRack           the consumer's rack_id; empty when it gave none
     * @param selector             replica.selector.class, which chooses the replica it reads
     */
    record ConsumerOrigin(boolean followerReadsAllowed, String clientRack, ReplicaSelector selector) {
        static final ConsumerOrigin LEADER_ONLY = new ConsumerOrigin(false, "", ReplicaSelector.LEADER);

        /** Whether a leader should ask the selector where this consumer reads. */
        boolean mayBeRedirected() {
            return followerReadsAllowed && selector != ReplicaSelector.LEADER;
        }
    }

    /**
     * @param replicaId the fetching follower's broker id, or {@link #CONSUMER}
     * @param consumer  for a consumer's fetch, where it may read
     * @param session   the fetch session the answer opens or belongs to; never {@link SessionContext.Failed}
     */
    FetchPlan(ReplicaManager replicaManager, List<Item> items, int maxBytes, boolean readCommitted, int replicaId,
              ConsumerOrigin consumer, SessionContext session) {
        this.replicaManager = replicaManager;
        this.items = items;
        this.maxBytes = maxBytes;
        this.readCommitted = readCommitted;
        this.replicaId = replicaId;
        this.consumer = consumer;
        this.session = session;
    }

    private boolean fromFollower() {
        return replicaId >= 0;
    }

    /**
     * For a follower's fetch, tells each partition's leader how far the follower is (its fetch
     * offset); done once per request, before the first read, so that the reads carry the high
     * watermark this may have advanced.
     */
    void recordFollowerProgress() {
        if (!fromFollower()) {
            return;
        }
        for (Item item : items) {
            item.resolvedName()
                    .flatMap(name -> replicaManager.partition(name, item.request().partition()))
                    .ifPresent(partition -> partition.onFollowerFetch(replicaId, item.request().fetchOffset(),
                            item.request().currentLeaderEpoch()));
        }
    }

    /**
     * Whether this is a consumer's fetch that reads no file pages that may be on disk only: in
     * each partition here, it has read everything it may (its fetch offset is at or past the high
     * watermark, or the last stable offset for read_committed), so that reading it touches no file,
     * or it reads from the segment being written, the tail a consumer that keeps up reads, just
     * appended and in the page cache. Its index lookups and batch headers are then memory reads,
     * as the sendfile of its records that the network thread makes anyway. One pass, one lookup
     * of each partition.
     */
    boolean readsOnlyCachedTails() {
        if (fromFollower()) {
            return false;
        }
        for (Item item : items) {
            Optional<Partition> found = item.resolvedName()
                    .flatMap(name -> replicaManager.partition(name, item.request().partition()));
            if (found.isPresent()) {
                Partition partition = found.get();
                long readable = readCommitted ? partition.lastStableOffset() : partition.highWatermark();
                long offset = item.request().fetchOffset();
                if (offset < readable && !partition.readsFromActiveSegment(offset)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The partitions whose appends may satisfy this fetch. */
    List<TopicPartition> partitions() {
        return items.stream()
                .filter(item -> item.resolvedName().isPresent())
                .map(item -> new TopicPartition(item.resolvedName().get(), item.request().partition()))
                .distinct()
                .toList();
    }

    Result read() {
        ResponseBuilder out = new ResponseBuilder(session instanceof SessionContext.Incremental ? null : items);
        long bytes = 0;
        boolean answerNow = false;
        for (Item item : items) {
            if (item.refused()) {
                out.add(item, failed(item, Errors.TOPIC_AUTHORIZATION_FAILED));
                answerNow = true;
                continue;
            }
            Optional<Partition> partition = item.resolvedName()
                    .flatMap(name -> replicaManager.partition(name, item.request().partition()));
            if (partition.isEmpty()) {
                Errors error = item.byId() && item.resolvedName().isEmpty()
                        ? Errors.UNKNOWN_TOPIC_ID
                        : replicaManager.notHostedError(new TopicPartition(item.resolvedName().get(),
                                item.request().partition()));
                out.add(item, failed(item, error));
                answerNow = true;
                continue;
            }
            OptionalInt preferred = preferredReadReplica(partition.get(), item.request());
            if (preferred.isPresent()) {
                // KIP-392: no records, only the replica to read from, which the consumer asks next.
                out.add(item, new FetchResponse.PartitionData().setPartitionIndex(item.request().partition())
                        .setHighWatermark(partition.get().highWatermark())
                        .setLastStableOffset(partition.get().lastStableOffset())
                        .setLogStartOffset(partition.get().logStartOffset())
                        .setPreferredReadReplica(preferred.getAsInt())
                        .setRecords(MemoryRecords.EMPTY));
                answerNow = true;
                continue;
            }
            int partitionLimit = (int) Math.max(0, Math.min(item.request().partitionMaxBytes(), maxBytes - bytes));
            boolean throttled = fromFollower() && partition.get().leaderThrottles(replicaId);
            boolean holdBack = throttled && replicaManager.leaderQuota().isExceeded();
            ReadOutcome outcome = fromFollower()
                    // Over leader.replication.throttled.rate a throttled follower gets no data, as in Kafka.
                    ? partition.get().readForFollower(item.request().fetchOffset(), holdBack ? 0 : partitionLimit,
                            bytes == 0 && !holdBack, item.request().currentLeaderEpoch())
                    : partition.get().read(item.request().fetchOffset(), partitionLimit, bytes == 0,
                            item.request().currentLeaderEpoch(), readCommitted, consumer.followerReadsAllowed());
            long recordBytes = outcome.records().sizeInBytes();
            if (item.cached() == null || item.cached().hasNews(recordBytes, outcome.error().code(),
                    outcome.highWatermark(), outcome.logStartOffset(), false)) {
                out.add(item, new FetchResponse.PartitionData().setPartitionIndex(item.request().partition())
                        .setErrorCode(outcome.error().code())
                        .setHighWatermark(outcome.highWatermark())
                        .setLastStableOffset(outcome.lastStableOffset())
                        .setLogStartOffset(outcome.logStartOffset())
                        .setRecords(outcome.records())
                        .setAbortedTransactions(abortedTransactions(outcome.abortedTransactions())));
            }
            // The high watermark check takes the partition's monitor: only while nothing else forces an answer.
            if (outcome.error() != Errors.NONE || !answerNow && fromFollower()
                    && partition.get().isHighWatermarkNewTo(replicaId, outcome.highWatermark())) {
                answerNow = true;
            }
            bytes += recordBytes;
            if (throttled) {
                replicaManager.leaderQuota().record(recordBytes);
            }
        }
        return new Result(out.response, out.sent, bytes, answerNow);
    }

    private static FetchResponse.PartitionData failed(Item item, Errors error) {
        return new FetchResponse.PartitionData().setPartitionIndex(item.request().partition())
                .setErrorCode(error.code()).setHighWatermark(-1).setRecords(MemoryRecords.EMPTY);
    }

    /** A response's topics, each opened when the first of its partitions is added. */
    private static final class ResponseBuilder {
        final FetchResponse response = new FetchResponse().setSessionId(FetchSession.NO_SESSION);
        final List<Item> sent;
        private final boolean collecting;
        private FetchResponse.FetchableTopicResponse current;
        private Item previous;

        /** @param all the items, when all of them are sent; null to collect those added */
        ResponseBuilder(List<Item> all) {
            this.collecting = all == null;
            this.sent = collecting ? new ArrayList<>() : all;
        }

        void add(Item item, FetchResponse.PartitionData data) {
            if (previous == null || !sameTopic(previous, item)) {
                current = new FetchResponse.FetchableTopicResponse().setTopic(item.topic()).setTopicId(item.topicId());
                response.responses().add(current);
            }
            previous = item;
            current.partitions().add(data);
            if (collecting) {
                sent.add(item);
            }
        }
    }

    /**
     * For a consumer's fetch from the leader, another replica the selector prefers; empty when it
     * reads here (or the leader epoch it gives is wrong, which the read reports).
     */
    private OptionalInt preferredReadReplica(Partition partition, FetchRequest.FetchPartition request) {
        if (fromFollower() || !consumer.mayBeRedirected()
                || partition.checkLeaderEpoch(request.currentLeaderEpoch()) != Errors.NONE) {
            return OptionalInt.empty();
        }
        return partition.preferredReadReplica(consumer.selector(), consumer.clientRack(), request.fetchOffset(),
                replicaManager::brokerRack);
    }

    /**
     * A reading of this plan is being sent: counts the partitions read and the bytes going out, a
     * consumer's per topic and a follower's as replication; for a follower each partition's leader
     * notes the high watermark it now knows; and the fetch session learns what its client was told
     * (a full fetch's answer opens one, if the cache has room). Call before the response goes out,
     * so that the client's next fetch finds all this noted.
     */
    void sending(Result result) {
        BrokerTopicMetrics metrics = replicaManager.topicMetrics();
        List<FetchResponse.PartitionData> sentData = new ArrayList<>(result.sent().size());
        for (FetchResponse.FetchableTopicResponse topic : result.response().responses()) {
            sentData.addAll(topic.partitions());
        }
        // An incremental answer carries some of the partitions read: walk the read ones, meeting the sent ones in order.
        int next = 0;
        for (Item item : items) {
            FetchResponse.PartitionData data = next < result.sent().size() && result.sent().get(next) == item
                    ? sentData.get(next++) : null;
            if (item.resolvedName().isEmpty()) {
                continue;
            }
            metrics.fetched(item.resolvedName().get(), data == null ? 0 : data.records().sizeInBytes(), fromFollower());
            if (data != null && data.errorCode() != Errors.NONE.code()
                    && !EXPECTED_READ_ERRORS.contains(Errors.forCode(data.errorCode()))) {
                metrics.failedFetchRequest(item.resolvedName().get());
            }
            if (data != null && fromFollower() && data.errorCode() == Errors.NONE.code()) {
                replicaManager.partition(item.resolvedName().get(), item.request().partition())
                        .ifPresent(partition -> partition.highWatermarkSent(replicaId, data.highWatermark()));
            }
        }
        result.response().setSessionId(noteInSession(result.sent(), sentData));
    }

    /** @return the id of the session the answer belongs to or opens, or {@link FetchSession#NO_SESSION} */
    private int noteInSession(List<Item> sent, List<FetchResponse.PartitionData> sentData) {
        if (session instanceof SessionContext.Incremental incremental) {
            for (int i = 0; i < sent.size(); i++) {
                FetchResponse.PartitionData data = sentData.get(i);
                sent.get(i).cached().sent(data.errorCode(), data.highWatermark(), data.logStartOffset());
            }
            return incremental.session().id();
        }
        if (session instanceof SessionContext.Opening opening) {
            LinkedHashMap<SessionPartitionKey, CachedPartition> partitions = new LinkedHashMap<>();
            for (int i = 0; i < sent.size(); i++) {
                Item item = sent.get(i);
                FetchResponse.PartitionData data = sentData.get(i);
                CachedPartition cached = new CachedPartition(item.topic(), item.topicId(), item.request());
                cached.sent(data.errorCode(), data.highWatermark(), data.logStartOffset());
                partitions.put(new SessionPartitionKey(item.topic(), item.topicId(),
                        item.request().partition()), cached);
            }
            return opening.cache().open(opening.privileged(), opening.usesTopicIds(), partitions);
        }
        return FetchSession.NO_SESSION;
    }

    /** Null (read_uncommitted) stays null on the wire. */
    private static List<FetchResponse.AbortedTransaction> abortedTransactions(List<AbortedTxn> aborted) {
        if (aborted == null) {
            return null;
        }
        List<FetchResponse.AbortedTransaction> wire = new ArrayList<>(aborted.size());
        for (AbortedTxn txn : aborted) {
            wire.add(new FetchResponse.AbortedTransaction().setProducerId(txn.producerId())
                    .setFirstOffset(txn.firstOffset()));
        }
        return wire;
    }

    private static boolean sameTopic(Item a, Item b) {
        return a.byId() ? a.topicId().equals(b.topicId()) : a.topic().equals(b.topic());
    }
}
