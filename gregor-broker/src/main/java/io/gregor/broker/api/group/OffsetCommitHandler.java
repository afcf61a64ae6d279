package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.OffsetCommitRequest;
import io.gregor.protocol.message.OffsetCommitResponse;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetCommit: members commit with their generation (consumer-protocol members with their
 * member epoch), consumers using {@code assign()} with generation -1. Version 10 (topic ids) is
 * not served: Kafka 4.1 marks it unstable and its clients do not send it.
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
        return coordinator.onShard(request.groupId(), shard -> shard.offsets().commitOffsets(request),
                error -> failedAll(request, error));
    }

    /** The same error for every partition of the request. */
    static OffsetCommitResponse failedAll(OffsetCommitRequest request, Errors error) {
        OffsetCommitResponse response = new OffsetCommitResponse();
        for (OffsetCommitRequest.OffsetCommitRequestTopic topic : request.topics()) {
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
