package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.LeaveGroupRequest;
import io.gregor.protocol.message.LeaveGroupResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * LeaveGroup: one member (versions 0-2) or a batch of members, static ones named by instance
 * id (3+). In the single-member form the member's error is the response's error, and the
 * response carries no member list.
 */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequest, LeaveGroupResponse> {
    private static final short FIRST_BATCHED_VERSION = 3;

    private final GroupCoordinator coordinator;

    public LeaveGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.LEAVE_GROUP.id();
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
    public CompletableFuture<LeaveGroupResponse> handle(RequestContext context, LeaveGroupRequest request) {
        boolean batched = context.apiVersion() >= FIRST_BATCHED_VERSION;
        if (!batched) {
            request.members().clear();
            request.members().add(new LeaveGroupRequest.MemberIdentity().setMemberId(request.memberId()));
        }
        CompletableFuture<LeaveGroupResponse> left =
                context.authorized(AclOperation.READ, AclResourceType.GROUP, request.groupId())
                        ? coordinator.onShard(request.groupId(), shard -> shard.membership().leave(request),
                                error -> new LeaveGroupResponse().setErrorCode(error.code()))
                        : CompletableFuture.completedFuture(
                                new LeaveGroupResponse().setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        return left.thenApply(response -> {
            if (!batched) {
                List<LeaveGroupResponse.MemberResponse> members = response.members();
                if (response.errorCode() == 0 && !members.isEmpty()) {
                    response.setErrorCode(members.get(0).errorCode());
                }
                members.clear(); // versions 0-2 have no member list to encode
            }
            return response;
        });
    }
}
