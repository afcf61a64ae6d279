package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.broker.group.GroupMembership;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.SyncGroupRequest;
import io.gregor.protocol.message.SyncGroupResponse;
import java.util.concurrent.CompletableFuture;

/**
 * SyncGroup: the leader hands in the assignment; every member's response is held until the
 * leader's assignment is written to {@code __consumer_offsets}, then carries its share.
 */
public final class SyncGroupHandler implements ApiHandler<SyncGroupRequest, SyncGroupResponse> {
    private final GroupCoordinator coordinator;

    public SyncGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.SYNC_GROUP.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<SyncGroupResponse> handle(RequestContext context, SyncGroupRequest request) {
        if (!context.authorized(AclOperation.READ, AclResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(
                    GroupMembership.syncErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED));
        }
        return coordinator.onShard(request.groupId(), shard -> shard.membership().sync(request),
                GroupMembership::syncErrorResponse);
    }
}
