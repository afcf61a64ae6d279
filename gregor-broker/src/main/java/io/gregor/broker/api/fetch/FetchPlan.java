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
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The partitions one fetch request reads, in request order, and the reading itself. A plan
 * can be read more than once: a parked fetch re-reads it when woken.
 */
final class FetchPlan {
    /**
     * One partition asked for. {@code refused}: the principal may not read it; its name is then
     * left unresolved, so nothing reads, waits for or learns about it.
     */
    record Item(String topic, UUID topicId, boolean byId, Optional<String> resolvedName,
                FetchRequest.FetchPartition request, boolean refused) {
    }

    /**
     * One reading of the plan: the response, how many record bytes it carries, and whether it must
     * be sent now whatever its size (a partition failed, the consumer is sent to another replica,
     * or a follower gets a high watermark it has not seen).
     */
    record Result(FetchResponse response, long bytes, boolean answerNow) {
    }

    /** The replica id of a consumer's fetch. */
    static final int CONSUMER = -1;

    private final ReplicaManager replicaManager;
    private final List<Item> items;
    private final int maxBytes;
    private final boolean readCommitted;
    private final int replicaId;
    private final ConsumerOrigin consumer;

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
     */
    FetchPlan(ReplicaManager replicaManager, List<Item> items, int maxBytes, boolean readCommitted, int replicaId,
              ConsumerOrigin consumer) {
        this.replicaManager = replicaManager;
        this.items = items;
        this.maxBytes = maxBytes;
        this.readCommitted = readCommitted;
        this.replicaId = replicaId;
        this.consumer = consumer;
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
     * Whether this is a consumer's fetch that has read everything it may: each partition's fetch
     * offset is at (or past) the high watermark, or the last stable offset for read_committed,
     * or the partition is not here. Reading such a fetch touches no file.
     */
    boolean isCaughtUpConsumer() {
        if (fromFollower()) {
            return false;
        }
        for (Item item : items) {
            Optional<Partition> partition = item.resolvedName()
                    .flatMap(name -> replicaManager.partition(name, item.request().partition()));
            if (partition.isPresent()) {
                long readable = readCommitted ? partition.get().lastStableOffset() : partition.get().highWatermark();
                if (item.request().fetchOffset() < readable) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether this is a consumer's fetch that reads, in every partition here, from the segment
     * being written: the tail a consumer that keeps up reads, just appended and in the page cache.
     * Its index lookups and batch headers are then memory reads, as the sendfile of its records
     * that the network thread makes anyway.
     */
    boolean readsOnlyActiveSegments() {
        if (fromFollower()) {
            return false;
        }
        for (Item item : items) {
            Optional<Partition> partition = item.resolvedName()
                    .flatMap(name -> replicaManager.partition(name, item.request().partition()));
            if (partition.isPresent() && !partition.get().readsFromActiveSegment(item.request().fetchOffset())) {
                return false;
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
        FetchResponse response = new FetchResponse().setSessionId(0);
        FetchResponse.FetchableTopicResponse current = null;
        Item previous = null;
        long bytes = 0;
        boolean answerNow = false;
        for (Item item : items) {
            if (previous == null || !sameTopic(previous, item)) {
                current = new FetchResponse.FetchableTopicResponse().setTopic(item.topic()).setTopicId(item.topicId());
                response.responses().add(current);
            }
            previous = item;
            FetchResponse.PartitionData data = new FetchResponse.PartitionData()
                    .setPartitionIndex(item.request().partition());
            current.partitions().add(data);

            if (item.refused()) {
                data.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setHighWatermark(-1)
                        .setRecords(MemoryRecords.EMPTY);
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
                data.setErrorCode(error.code()).setHighWatermark(-1).setRecords(MemoryRecords.EMPTY);
                answerNow = true;
                continue;
            }
            OptionalInt preferred = preferredReadReplica(partition.get(), item.request());
            if (preferred.isPresent()) {
                // KIP-392: no records, only the replica to read from, which the consumer asks next.
                data.setHighWatermark(partition.get().highWatermark())
                        .setLastStableOffset(partition.get().lastStableOffset())
                        .setLogStartOffset(partition.get().logStartOffset())
                        .setPreferredReadReplica(preferred.getAsInt())
                        .setRecords(MemoryRecords.EMPTY);
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
            data.setErrorCode(outcome.error().code())
                    .setHighWatermark(outcome.highWatermark())
                    .setLastStableOffset(outcome.lastStableOffset())
                    .setLogStartOffset(outcome.logStartOffset())
                    .setRecords(outcome.records())
                    .setAbortedTransactions(abortedTransactions(outcome.abortedTransactions()));
            // The high watermark check takes the partition's monitor: only while nothing else forces an answer.
            if (outcome.error() != Errors.NONE || !answerNow && fromFollower()
                    && partition.get().isHighWatermarkNewTo(replicaId, outcome.highWatermark())) {
                answerNow = true;
            }
            bytes += outcome.records().sizeInBytes();
            if (throttled) {
                replicaManager.leaderQuota().record(outcome.records().sizeInBytes());
            }
        }
        return new Result(response, bytes, answerNow);
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
     * A reading of this plan is being sent: counts the bytes going out, a consumer's per topic
     * and a follower's as replication, and for a follower each partition's leader notes the high
     * watermark it now knows. Call before the response goes out, so that the follower's next
     * fetch finds it noted.
     */
    void sending(FetchResponse response) {
        BrokerTopicMetrics metrics = replicaManager.topicMetrics();
        int index = 0;
        for (FetchResponse.FetchableTopicResponse topic : response.responses()) {
            for (FetchResponse.PartitionData data : topic.partitions()) {
                Item item = items.get(index++);
                if (item.resolvedName().isEmpty()) {
                    continue;
                }
                metrics.fetched(item.resolvedName().get(), data.records().sizeInBytes(), fromFollower());
                if (fromFollower() && data.errorCode() == Errors.NONE.code()) {
                    replicaManager.partition(item.resolvedName().get(), item.request().partition())
                            .ifPresent(partition -> partition.highWatermarkSent(replicaId, data.highWatermark()));
                }
            }
        }
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
