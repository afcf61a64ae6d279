package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.broker.group.GroupMembership;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.JoinGroupRequest;
import io.gregor.protocol.message.JoinGroupResponse;
import java.util.concurrent.CompletableFuture;

/**
 * JoinGroup: the response is held by the group's coordinator until the rebalance completes
 * (all members rejoined, or the rebalance timeout), so the future completes later on the
 * coordinator's thread. From version 4 a new member is first told MEMBER_ID_REQUIRED with the
 * id it must join with. Needs READ on the group.
 */
public final class JoinGroupHandler implements ApiHandler<JoinGroupRequest, JoinGroupResponse> {
    private static final short FIRST_VERSION_REQUIRING_MEMBER_ID = 4;
    private static final short FIRST_VERSION_WITH_NULLABLE_PROTOCOL_NAME = 7;
    private static final short FIRST_VERSION_WITH_SKIP_ASSIGNMENT = 9;

    private final GroupCoordinator coordinator;

    public JoinGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.JOIN_GROUP.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 9;
    }

    @Override
    public CompletableFuture<JoinGroupResponse> handle(RequestContext context, JoinGroupRequest request) {
        GroupMembership.JoinOptions options = new GroupMembership.JoinOptions(
                context.apiVersion() >= FIRST_VERSION_REQUIRING_MEMBER_ID,
                context.apiVersion() >= FIRST_VERSION_WITH_SKIP_ASSIGNMENT);
        // Refused before the coordinator sees it, so that no group is created for an unauthorized member.
        CompletableFuture<JoinGroupResponse> joined =
                context.authorized(AclOperation.READ, AclResourceType.GROUP, request.groupId())
                        ? coordinator.onShard(request.groupId(),
                                shard -> shard.membership().join(request, Clients.of(context), options),
                                error -> GroupMembership.joinErrorResponse(request.memberId(), error))
                        : CompletableFuture.completedFuture(GroupMembership.joinErrorResponse(request.memberId(),
                                Errors.GROUP_AUTHORIZATION_FAILED));
        return joined.thenApply(response -> {
            if (response.protocolName() == null
                    && context.apiVersion() < FIRST_VERSION_WITH_NULLABLE_PROTOCOL_NAME) {
                response.setProtocolName("");
            }
            return response;
        });
    }
}
