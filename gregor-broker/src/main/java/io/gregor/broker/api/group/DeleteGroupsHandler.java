package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DeleteGroupsRequest;
import io.gregor.protocol.message.DeleteGroupsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** DeleteGroups: a group without members goes with its offsets; others get NON_EMPTY_GROUP. */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequest, DeleteGroupsResponse> {
    private final GroupCoordinator coordinator;

    public DeleteGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.DELETE_GROUPS.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<DeleteGroupsResponse> handle(RequestContext context, DeleteGroupsRequest request) {
        List<CompletableFuture<DeleteGroupsResponse.DeletableGroupResult>> answers = new ArrayList<>();
        for (String groupId : request.groupsNames()) {
            CompletableFuture<Errors> deleted = context.authorized(AclOperation.DELETE, AclResourceType.GROUP, groupId)
                    ? coordinator.onShard(groupId, shard -> shard.deleteGroup(groupId), error -> error)
                    : CompletableFuture.completedFuture(Errors.GROUP_AUTHORIZATION_FAILED);
            answers.add(deleted.thenApply(error -> new DeleteGroupsResponse.DeletableGroupResult()
                    .setGroupId(groupId).setErrorCode(error.code())));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            DeleteGroupsResponse response = new DeleteGroupsResponse();
            answers.forEach(answer -> response.results().add(answer.join()));
            return response;
        });
    }
}
