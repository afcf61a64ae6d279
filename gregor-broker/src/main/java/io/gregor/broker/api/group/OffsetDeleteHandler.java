package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.OffsetDeleteRequest;
import io.gregor.protocol.message.OffsetDeleteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetDelete: drops a group's committed offsets of some partitions, unless members of the
 * group are subscribed to the topic (GROUP_SUBSCRIBED_TO_TOPIC).
 */
public final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequest, OffsetDeleteResponse> {
    private final GroupCoordinator coordinator;

    public OffsetDeleteHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.OFFSET_DELETE.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<OffsetDeleteResponse> handle(RequestContext context, OffsetDeleteRequest request) {
        if (!context.authorized(AclOperation.DELETE, AclResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(
                    new OffsetDeleteResponse().setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        // The offsets of topics the principal may not read stay; the coordinator never sees those topics.
        List<OffsetDeleteResponse.OffsetDeleteResponseTopic> refused = new ArrayList<>();
        List<OffsetDeleteRequest.OffsetDeleteRequestTopic> allowed = new ArrayList<>();
        for (OffsetDeleteRequest.OffsetDeleteRequestTopic topic : request.topics()) {
            if (context.authorized(AclOperation.READ, AclResourceType.TOPIC, topic.name())) {
                allowed.add(topic);
                continue;
            }
            OffsetDeleteResponse.OffsetDeleteResponseTopic topicResponse =
                    new OffsetDeleteResponse.OffsetDeleteResponseTopic().setName(topic.name());
            for (OffsetDeleteRequest.OffsetDeleteRequestPartition partition : topic.partitions()) {
                topicResponse.partitions().add(new OffsetDeleteResponse.OffsetDeleteResponsePartition()
                        .setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
            refused.add(topicResponse);
        }
        request.setTopics(allowed);
        return coordinator.onShard(request.groupId(), shard -> shard.offsets().deleteOffsets(request),
                        error -> new OffsetDeleteResponse().setErrorCode(error.code()))
                .thenApply(response -> {
                    response.topics().addAll(refused);
                    return response;
                });
    }
}
