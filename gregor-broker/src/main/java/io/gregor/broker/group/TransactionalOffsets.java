package io.gregor.broker.group;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.OffsetFetchResponse;
import io.gregor.protocol.message.TxnOffsetCommitRequest;
import io.gregor.protocol.message.TxnOffsetCommitResponse;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import io.gregor.protocol.record.RecordBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Offsets committed inside a transaction (TxnOffsetCommit) by one shard's groups. They are
 * written to the shard's partition as a transactional batch of the producer (its id and epoch,
 * checked by the partition like any transactional write) and stay pending, invisible to
 * OffsetFetch, until the transaction's marker reaches the partition: a COMMIT makes them the
 * groups' committed offsets, an ABORT drops them. Replaying the partition does the same from the
 * batches and markers in the log. OffsetFetch with {@code require_stable} answers
 * UNSTABLE_OFFSET_COMMIT for a partition with a pending commit, so a consumer starting in a
 * transactional pipeline waits for the outcome instead of reading a stale offset.
 *
 * <p>Thread-safety: none; runs on its shard's thread only.
 */
public final class TransactionalOffsets {
    private static final int NO_EPOCH = -1;
    private static final long NO_OFFSET = -1;

    private final Map<String, ClassicGroup> groups;
    private final GroupCoordinatorConfig config;
    private final ShardContext context;
    private final GroupMembership membership;
    /** Producer id to its pending offsets, per group. */
    private final Map<Long, Map<String, Map<TopicPartition, CommittedOffset>>> pending = new HashMap<>();

    TransactionalOffsets(Map<String, ClassicGroup> groups, GroupCoordinatorConfig config, ShardContext context,
                         GroupMembership membership) {
        this.groups = groups;
        this.config = config;
        this.context = context;
        this.membership = membership;
    }

    /** TxnOffsetCommit: the membership checks of OffsetCommit, then a transactional write. */
    public CompletableFuture<TxnOffsetCommitResponse> commit(TxnOffsetCommitRequest request) {
        Errors groupError = membership.checkCommit(request.groupId(), request.generationId(), request.memberId(),
                request.groupInstanceId());
        TxnOffsetCommitResponse response = new TxnOffsetCommitResponse();
        Map<TopicPartition, CommittedOffset> accepted = new LinkedHashMap<>();
        List<Consumer<Errors>> answers = new ArrayList<>();
        long now = context.now();
        for (TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic topicResponse =
                    new TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(topicResponse);
            for (TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition p : topic.partitions()) {
                TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition partitionResponse =
                        new TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition()
                                .setPartitionIndex(p.partitionIndex());
                topicResponse.partitions().add(partitionResponse);
                if (groupError != Errors.NONE) {
                    partitionResponse.setErrorCode(groupError.code());
                    continue;
                }
                if (p.committedMetadata() != null && p.committedMetadata().length() > config.offsetMetadataMaxBytes()) {
                    partitionResponse.setErrorCode(Errors.OFFSET_METADATA_TOO_LARGE.code());
                    continue;
                }
                accepted.put(new TopicPartition(topic.name(), p.partitionIndex()), new CommittedOffset(
                        p.committedOffset(),
                        p.committedLeaderEpoch() == NO_EPOCH ? OptionalInt.empty() : OptionalInt.of(p.committedLeaderEpoch()),
                        Optional.ofNullable(p.committedMetadata()), now));
                answers.add(error -> partitionResponse.setErrorCode(error.code()));
            }
        }
        if (accepted.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder()
                .producer(request.producerId(), request.producerEpoch(), RecordBatch.NO_SEQUENCE)
                .transactional(true);
        accepted.forEach((tp, offset) -> builder.append(now, GroupRecords.offsetKey(request.groupId(), tp),
                GroupRecords.offsetValue(offset)));
        return context.appendTransactional(builder.build()).thenApply(error -> {
            if (error == Errors.NONE) {
                addPending(request.producerId(), request.groupId(), accepted);
            }
            answers.forEach(answer -> answer.accept(error));
            return response;
        });
    }

    /** A transactional offset record read back from the log while loading. */
    void replayPending(long producerId, String groupId, TopicPartition tp, CommittedOffset offset) {
        addPending(producerId, groupId, Map.of(tp, offset));
    }

    private void addPending(long producerId, String groupId, Map<TopicPartition, CommittedOffset> offsets) {
        pending.computeIfAbsent(producerId, id -> new HashMap<>())
                .computeIfAbsent(groupId, id -> new LinkedHashMap<>())
                .putAll(offsets);
    }

    /**
     * The producer's transaction ended on this partition: its pending offsets become the groups'
     * committed offsets (COMMIT) or are dropped (ABORT). A marker with nothing pending changes
     * nothing, so hearing of one twice (replay and notification) is harmless.
     */
    void complete(long producerId, boolean commit) {
        Map<String, Map<TopicPartition, CommittedOffset>> ended = pending.remove(producerId);
        if (ended == null || !commit) {
            return;
        }
        ended.forEach((groupId, offsets) -> {
            ClassicGroup group = groups.computeIfAbsent(groupId, ClassicGroup::new);
            if (!group.is(GroupState.DEAD)) {
                group.offsets().putAll(offsets);
            }
        });
    }

    /**
     * OffsetFetch with require_stable: every partition of the answer with a pending
     * transactional commit answers UNSTABLE_OFFSET_COMMIT instead of an offset.
     */
    public OffsetFetchResponse.OffsetFetchResponseGroup markUnstable(
            OffsetFetchResponse.OffsetFetchResponseGroup fetched) {
        for (OffsetFetchResponse.OffsetFetchResponseTopics topic : fetched.topics()) {
            for (OffsetFetchResponse.OffsetFetchResponsePartitions partition : topic.partitions()) {
                if (isPending(fetched.groupId(), new TopicPartition(topic.name(), partition.partitionIndex()))) {
                    partition.setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code())
                            .setCommittedOffset(NO_OFFSET)
                            .setCommittedLeaderEpoch(NO_EPOCH)
                            .setMetadata("");
                }
            }
        }
        return fetched;
    }

    private boolean isPending(String groupId, TopicPartition tp) {
        for (Map<String, Map<TopicPartition, CommittedOffset>> byGroup : pending.values()) {
            Map<TopicPartition, CommittedOffset> offsets = byGroup.get(groupId);
            if (offsets != null && offsets.containsKey(tp)) {
                return true;
            }
        }
        return false;
    }
}
