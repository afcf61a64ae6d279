package io.gregor.broker.group;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.OffsetCommitRequest;
import io.gregor.protocol.message.OffsetCommitResponse;
import io.gregor.protocol.message.OffsetDeleteRequest;
import io.gregor.protocol.message.OffsetDeleteResponse;
import io.gregor.protocol.message.OffsetFetchRequest;
import io.gregor.protocol.message.OffsetFetchResponse;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed offsets of one coordinator shard's groups: OffsetCommit (after the membership
 * checks of {@link GroupMembership}), OffsetFetch, OffsetDelete, and the expiry of the offsets
 * of empty groups. Offsets change in memory only once their records are written.
 *
 * <p>Thread-safety: none; runs on its shard's thread only.
 */
public final class GroupOffsets {
    private static final Logger LOG = LoggerFactory.getLogger(GroupOffsets.class);
    private static final long NO_OFFSET = -1;
    private static final int NO_EPOCH = -1;

    private final Map<String, ClassicGroup> groups;
    private final GroupCoordinatorConfig config;
    private final ShardContext context;
    private final GroupMembership membership;

    GroupOffsets(Map<String, ClassicGroup> groups, GroupCoordinatorConfig config, ShardContext context,
                 GroupMembership membership) {
        this.groups = groups;
        this.config = config;
        this.context = context;
        this.membership = membership;
    }

    // ---------------------------------------------------------------- offsets

    public CompletableFuture<OffsetCommitResponse> commitOffsets(OffsetCommitRequest request) {
        Errors groupError = membership.checkCommit(request);
        OffsetCommitResponse response = new OffsetCommitResponse();
        Map<TopicPartition, CommittedOffset> accepted = new LinkedHashMap<>();
        List<Runnable> onSuccess = new ArrayList<>();
        List<Consumer<Errors>> answers = new ArrayList<>();
        long now = context.now();
        for (OffsetCommitRequest.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponse.OffsetCommitResponseTopic topicResponse =
                    new OffsetCommitResponse.OffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(topicResponse);
            for (OffsetCommitRequest.OffsetCommitRequestPartition p : topic.partitions()) {
                OffsetCommitResponse.OffsetCommitResponsePartition partitionResponse =
                        new OffsetCommitResponse.OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex());
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
        ClassicGroup group = groups.computeIfAbsent(request.groupId(), ClassicGroup::new);
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        accepted.forEach((tp, offset) -> builder.append(now, GroupRecords.offsetKey(group.groupId(), tp),
                GroupRecords.offsetValue(offset)));
        return context.append(builder.build()).thenApply(error -> {
            if (error == Errors.NONE) {
                group.offsets().putAll(accepted);
            }
            answers.forEach(answer -> answer.accept(error));
            return response;
        });
    }

    public CompletableFuture<OffsetFetchResponse.OffsetFetchResponseGroup> fetchOffsets(
            OffsetFetchRequest.OffsetFetchRequestGroup request) {
        OffsetFetchResponse.OffsetFetchResponseGroup response = new OffsetFetchResponse.OffsetFetchResponseGroup()
                .setGroupId(request.groupId());
        ClassicGroup group = groups.get(request.groupId());
        Map<TopicPartition, CommittedOffset> offsets = group == null ? Map.of() : group.offsets();
        Map<String, OffsetFetchResponse.OffsetFetchResponseTopics> topics = new LinkedHashMap<>();
        if (request.topics() == null) {
            offsets.forEach((tp, offset) -> addFetched(topics, tp, Optional.of(offset)));
        } else {
            for (OffsetFetchRequest.OffsetFetchRequestTopics topic : request.topics()) {
                topics.computeIfAbsent(topic.name(), name -> new OffsetFetchResponse.OffsetFetchResponseTopics()
                        .setName(name));
                for (int index : topic.partitionIndexes()) {
                    TopicPartition tp = new TopicPartition(topic.name(), index);
                    addFetched(topics, tp, Optional.ofNullable(offsets.get(tp)));
                }
            }
        }
        response.topics().addAll(topics.values());
        return CompletableFuture.completedFuture(response);
    }

    private static void addFetched(Map<String, OffsetFetchResponse.OffsetFetchResponseTopics> topics,
                                   TopicPartition tp, Optional<CommittedOffset> offset) {
        topics.computeIfAbsent(tp.topic(), name -> new OffsetFetchResponse.OffsetFetchResponseTopics().setName(name))
                .partitions().add(new OffsetFetchResponse.OffsetFetchResponsePartitions()
                        .setPartitionIndex(tp.partition())
                        .setCommittedOffset(offset.map(CommittedOffset::offset).orElse(NO_OFFSET))
                        .setCommittedLeaderEpoch(offset.flatMap(o -> o.leaderEpoch().isPresent()
                                ? Optional.of(o.leaderEpoch().getAsInt()) : Optional.empty()).orElse(NO_EPOCH))
                        .setMetadata(offset.flatMap(CommittedOffset::metadata).orElse(""))
                        .setErrorCode(Errors.NONE.code()));
    }

    public CompletableFuture<OffsetDeleteResponse> deleteOffsets(OffsetDeleteRequest request) {
        OffsetDeleteResponse response = new OffsetDeleteResponse();
        ClassicGroup group = groups.get(request.groupId());
        if (group == null || group.is(GroupState.DEAD)) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
        }
        Set<String> subscribed = membership.consumerGroups().hasMembers(group.groupId())
                ? membership.consumerGroups().subscribedTopicNames(group.groupId())
                : group.is(GroupState.EMPTY) ? Set.of() : group.subscribedTopics();
        List<TopicPartition> deleted = new ArrayList<>();
        long now = context.now();
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        List<Consumer<Errors>> answers = new ArrayList<>();
        for (OffsetDeleteRequest.OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponse.OffsetDeleteResponseTopic topicResponse =
                    new OffsetDeleteResponse.OffsetDeleteResponseTopic().setName(topic.name());
            response.topics().add(topicResponse);
            for (OffsetDeleteRequest.OffsetDeleteRequestPartition p : topic.partitions()) {
                OffsetDeleteResponse.OffsetDeleteResponsePartition partitionResponse =
                        new OffsetDeleteResponse.OffsetDeleteResponsePartition().setPartitionIndex(p.partitionIndex());
                topicResponse.partitions().add(partitionResponse);
                if (subscribed.contains(topic.name())) {
                    partitionResponse.setErrorCode(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                if (group.offsets().containsKey(tp)) {
                    deleted.add(tp);
                    builder.append(now, GroupRecords.offsetKey(group.groupId(), tp), null);
                }
                answers.add(error -> partitionResponse.setErrorCode(error.code()));
            }
        }
        if (deleted.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        return context.append(builder.build()).thenApply(error -> {
            if (error == Errors.NONE) {
                deleted.forEach(group.offsets()::remove);
            }
            answers.forEach(answer -> answer.accept(error));
            return response;
        });
    }

    /** Drops every group's offsets of deleted topics: a topic created again under the name starts afresh. */
    void dropTopics(Set<String> deletedTopics) {
        long now = context.now();
        for (ClassicGroup group : List.copyOf(groups.values())) {
            List<TopicPartition> dropped = group.offsets().keySet().stream()
                    .filter(tp -> deletedTopics.contains(tp.topic())).toList();
            if (dropped.isEmpty()) {
                continue;
            }
            MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
            dropped.forEach(tp -> builder.append(now, GroupRecords.offsetKey(group.groupId(), tp), null));
            context.append(builder.build()).thenAccept(error -> {
                if (error == Errors.NONE) {
                    dropped.forEach(group.offsets()::remove);
                    LOG.info("Dropped the offsets of group {} for deleted topics {}", group.groupId(), deletedTopics);
                }
            });
        }
    }

    /**
     * Drops the offsets of empty groups older than {@code offsets.retention.minutes} (tombstones
     * in the log), and a group once nothing is left of it.
     */
    void expireOffsets() {
        long now = context.now();
        for (ClassicGroup group : List.copyOf(groups.values())) {
            if (membership.consumerGroups().hasMembers(group.groupId())) {
                continue; // the offsets of a consumer group with members are in use
            }
            List<TopicPartition> expired = group.expiredOffsets(now, config.offsetsRetentionMs());
            if (expired.isEmpty()) {
                continue;
            }
            MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
            expired.forEach(tp -> builder.append(now, GroupRecords.offsetKey(group.groupId(), tp), null));
            boolean nothingLeft = expired.size() == group.offsets().size() && group.size() == 0;
            if (nothingLeft) {
                builder.append(now, GroupRecords.groupKey(group.groupId()), null);
            }
            context.append(builder.build()).thenAccept(error -> {
                if (error != Errors.NONE) {
                    return;
                }
                expired.forEach(group.offsets()::remove);
                LOG.info("Expired {} offsets of group {}", expired.size(), group.groupId());
                if (nothingLeft && group.isDeletable() && groups.get(group.groupId()) == group) {
                    group.transitionTo(GroupState.DEAD);
                    groups.remove(group.groupId());
                }
            });
        }
    }
}
