package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.HeartbeatRequest;
import io.gregor.protocol.message.HeartbeatResponse;
import java.util.concurrent.CompletableFuture;

/** Heartbeat: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin. */
public final class HeartbeatHandler implements ApiHandler<HeartbeatRequest, HeartbeatResponse> {
    private final GroupCoordinator coordinator;

    public HeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.HEARTBEAT.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<HeartbeatResponse> handle(RequestContext context, HeartbeatRequest request) {
        if (!context.authorized(AclOperation.READ, AclResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(
                    new HeartbeatResponse().setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return coordinator.onShard(request.groupId(), shard -> shard.membership().heartbeat(request), error -> error)
                .thenApply(error -> new HeartbeatResponse().setErrorCode(error.code()));
    }
}
