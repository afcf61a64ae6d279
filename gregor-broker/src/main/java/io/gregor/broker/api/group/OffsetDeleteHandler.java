package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.OffsetDeleteRequest;
import io.gregor.protocol.message.OffsetDeleteResponse;
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
        return coordinator.onShard(request.groupId(), shard -> shard.offsets().deleteOffsets(request),
                error -> new OffsetDeleteResponse().setErrorCode(error.code()));
    }
}
