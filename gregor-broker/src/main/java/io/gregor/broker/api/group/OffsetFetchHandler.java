package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.OffsetFetchRequest;
import io.gregor.protocol.message.OffsetFetchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetFetch: committed offsets of one group (versions 1-7) or several (8+), for the
 * partitions named or, with null topics, for all the group has. A partition without a commit
 * answers offset -1. With {@code requireStable} (v7+) a partition whose offset a transaction
 * has committed but not yet ended answers UNSTABLE_OFFSET_COMMIT, and the client retries. A
 * consumer-protocol member names itself and its epoch (v9+): an unknown member or another epoch
 * answers UNKNOWN_MEMBER_ID or STALE_MEMBER_EPOCH. Versions before 8 are turned into the batched form
 * and back, so the coordinator sees one shape. Needs DESCRIBE on each group and on each topic
 * named (see {@link #fetch}).
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequest, OffsetFetchResponse> {
    private static final short FIRST_BATCHED_VERSION = 8;
    private static final short FIRST_VERSION_WITH_TOP_LEVEL_ERROR = 2;

    private final GroupCoordinator coordinator;

    public OffsetFetchHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.OFFSET_FETCH.id();
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 9;
    }

    @Override
    public CompletableFuture<OffsetFetchResponse> handle(RequestContext context, OffsetFetchRequest request) {
        boolean batched = context.apiVersion() >= FIRST_BATCHED_VERSION;
        List<OffsetFetchRequest.OffsetFetchRequestGroup> groups = batched ? request.groups() : List.of(asGroup(request));
        List<CompletableFuture<OffsetFetchResponse.OffsetFetchResponseGroup>> answers = new ArrayList<>();
        for (OffsetFetchRequest.OffsetFetchRequestGroup group : groups) {
            answers.add(context.authorized(AclOperation.DESCRIBE, AclResourceType.GROUP, group.groupId())
                    ? fetch(context, request.requireStable(), group)
                    : CompletableFuture.completedFuture(new OffsetFetchResponse.OffsetFetchResponseGroup()
                            .setGroupId(group.groupId()).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            OffsetFetchResponse response = new OffsetFetchResponse();
            List<OffsetFetchResponse.OffsetFetchResponseGroup> results = answers.stream()
                    .map(CompletableFuture::join).toList();
            if (batched) {
                response.groups().addAll(results);
            } else {
                flatten(context.apiVersion(), groups.get(0), results.get(0), response);
            }
            return response;
        });
    }

    /**
     * One group's offsets. Named topics the principal may not describe are not asked for and
     * answer TOPIC_AUTHORIZATION_FAILED; when all topics are asked for, those are left out.
     */
    private CompletableFuture<OffsetFetchResponse.OffsetFetchResponseGroup> fetch(
            RequestContext context, boolean requireStable, OffsetFetchRequest.OffsetFetchRequestGroup group) {
        List<OffsetFetchRequest.OffsetFetchRequestTopics> refused = new ArrayList<>();
        OffsetFetchRequest.OffsetFetchRequestGroup asked = group;
        if (group.topics() != null) {
            List<OffsetFetchRequest.OffsetFetchRequestTopics> allowed = new ArrayList<>();
            for (OffsetFetchRequest.OffsetFetchRequestTopics topic : group.topics()) {
                (describable(context, topic.name()) ? allowed : refused).add(topic);
            }
            asked = new OffsetFetchRequest.OffsetFetchRequestGroup().setGroupId(group.groupId())
                    .setMemberId(group.memberId()).setMemberEpoch(group.memberEpoch()).setTopics(allowed);
        }
        OffsetFetchRequest.OffsetFetchRequestGroup toFetch = asked;
        return coordinator.onShard(group.groupId(), shard -> {
                    Errors memberError = shard.consumerGroups().checkFetch(group.groupId(), group.memberId(),
                            group.memberEpoch());
                    if (memberError != Errors.NONE) {
                        return CompletableFuture.completedFuture(new OffsetFetchResponse.OffsetFetchResponseGroup()
                                .setGroupId(group.groupId()).setErrorCode(memberError.code()));
                    }
                    return shard.offsets().fetchOffsets(toFetch).thenApply(fetched -> requireStable
                            ? shard.transactionalOffsets().markUnstable(fetched) : fetched);
                },
                error -> new OffsetFetchResponse.OffsetFetchResponseGroup().setGroupId(group.groupId())
                        .setErrorCode(error.code()))
                .thenApply(result -> {
                    if (result.errorCode() != Errors.NONE.code()) {
                        return result;
                    }
                    if (group.topics() == null) {
                        result.topics().removeIf(topic -> !describable(context, topic.name()));
                    }
                    for (OffsetFetchRequest.OffsetFetchRequestTopics topic : refused) {
                        OffsetFetchResponse.OffsetFetchResponseTopics topicResponse =
                                new OffsetFetchResponse.OffsetFetchResponseTopics().setName(topic.name());
                        for (int index : topic.partitionIndexes()) {
                            topicResponse.partitions().add(new OffsetFetchResponse.OffsetFetchResponsePartitions()
                                    .setPartitionIndex(index).setCommittedOffset(-1).setCommittedLeaderEpoch(-1)
                                    .setMetadata("").setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                        }
                        result.topics().add(topicResponse);
                    }
                    return result;
                });
    }

    private static boolean describable(RequestContext context, String topic) {
        return context.authorized(AclOperation.DESCRIBE, AclResourceType.TOPIC, topic);
    }

    private static OffsetFetchRequest.OffsetFetchRequestGroup asGroup(OffsetFetchRequest request) {
        OffsetFetchRequest.OffsetFetchRequestGroup group = new OffsetFetchRequest.OffsetFetchRequestGroup()
                .setGroupId(request.groupId());
        if (request.topics() == null) {
            group.setTopics(null);
        } else {
            for (OffsetFetchRequest.OffsetFetchRequestTopic topic : request.topics()) {
                group.topics().add(new OffsetFetchRequest.OffsetFetchRequestTopics().setName(topic.name())
                        .setPartitionIndexes(new ArrayList<>(topic.partitionIndexes())));
            }
        }
        return group;
    }

    /**
     * The single-group form. Version 1 has no top-level error, so a group error is given to
     * each partition asked for.
     */
    private static void flatten(short version, OffsetFetchRequest.OffsetFetchRequestGroup asked,
                                OffsetFetchResponse.OffsetFetchResponseGroup result, OffsetFetchResponse response) {
        Errors groupError = Errors.forCode(result.errorCode());
        if (version >= FIRST_VERSION_WITH_TOP_LEVEL_ERROR) {
            response.setErrorCode(result.errorCode());
        }
        if (groupError != Errors.NONE) {
            if (version < FIRST_VERSION_WITH_TOP_LEVEL_ERROR && asked.topics() != null) {
                for (OffsetFetchRequest.OffsetFetchRequestTopics topic : asked.topics()) {
                    OffsetFetchResponse.OffsetFetchResponseTopic topicResponse =
                            new OffsetFetchResponse.OffsetFetchResponseTopic().setName(topic.name());
                    for (int index : topic.partitionIndexes()) {
                        topicResponse.partitions().add(new OffsetFetchResponse.OffsetFetchResponsePartition()
                                .setPartitionIndex(index).setCommittedOffset(-1).setMetadata("")
                                .setErrorCode(groupError.code()));
                    }
                    response.topics().add(topicResponse);
                }
            }
            return;
        }
        for (OffsetFetchResponse.OffsetFetchResponseTopics topic : result.topics()) {
            OffsetFetchResponse.OffsetFetchResponseTopic topicResponse =
                    new OffsetFetchResponse.OffsetFetchResponseTopic().setName(topic.name());
            for (OffsetFetchResponse.OffsetFetchResponsePartitions partition : topic.partitions()) {
                topicResponse.partitions().add(new OffsetFetchResponse.OffsetFetchResponsePartition()
                        .setPartitionIndex(partition.partitionIndex())
                        .setCommittedOffset(partition.committedOffset())
                        .setCommittedLeaderEpoch(partition.committedLeaderEpoch())
                        .setMetadata(partition.metadata())
                        .setErrorCode(partition.errorCode()));
            }
            response.topics().add(topicResponse);
        }
    }
}
