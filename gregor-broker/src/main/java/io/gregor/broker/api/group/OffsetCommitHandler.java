package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.OffsetCommitRequest;
import io.gregor.protocol.message.OffsetCommitResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetCommit: members commit with their generation (consumer-protocol members with their
 * member epoch), consumers using {@code assign()} with generation -1. Version 10 (topic ids) is
 * not served: Kafka 4.1 marks it unstable and its clients do not send it. Needs READ on the group
 * (else every partition fails) and READ on each topic (else that topic's partitions fail).
 */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequest, OffsetCommitResponse> {
    private final GroupCoordinator coordinator;

    public OffsetCommitHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.OFFSET_COMMIT.id();
    }

    @Override
    public short minVersion() {
        return 2;
    }

    @Override
    public short maxVersion() {
        return 9;
    }

    @Override
    public CompletableFuture<OffsetCommitResponse> handle(RequestContext context, OffsetCommitRequest request) {
        if (!context.authorized(AclOperation.READ, AclResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(
                    failedAll(request.topics(), Errors.GROUP_AUTHORIZATION_FAILED));
        }
        // Topics the principal may not read are answered here and left out of the commit; the rest is committed.
        List<OffsetCommitRequest.OffsetCommitRequestTopic> refused = new ArrayList<>();
        List<OffsetCommitRequest.OffsetCommitRequestTopic> allowed = new ArrayList<>();
        for (OffsetCommitRequest.OffsetCommitRequestTopic topic : request.topics()) {
            (context.authorized(AclOperation.READ, AclResourceType.TOPIC, topic.name()) ? allowed : refused)
                    .add(topic);
        }
        OffsetCommitResponse refusedResponse = failedAll(refused, Errors.TOPIC_AUTHORIZATION_FAILED);
        if (allowed.isEmpty()) {
            return CompletableFuture.completedFuture(refusedResponse);
        }
        request.setTopics(allowed);
        return coordinator.onShard(request.groupId(), shard -> shard.offsets().commitOffsets(request),
                        error -> failedAll(allowed, error))
                .thenApply(response -> {
                    response.topics().addAll(refusedResponse.topics());
                    return response;
                });
    }

    /** The same error for every partition of these topics. */
    private static OffsetCommitResponse failedAll(List<OffsetCommitRequest.OffsetCommitRequestTopic> topics,
                                                  Errors error) {
        OffsetCommitResponse response = new OffsetCommitResponse();
        for (OffsetCommitRequest.OffsetCommitRequestTopic topic : topics) {
            OffsetCommitResponse.OffsetCommitResponseTopic topicResponse =
                    new OffsetCommitResponse.OffsetCommitResponseTopic().setName(topic.name());
            for (OffsetCommitRequest.OffsetCommitRequestPartition partition : topic.partitions()) {
                topicResponse.partitions().add(new OffsetCommitResponse.OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }
}
