package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.AuthorizedOperations;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeGroupsRequest;
import io.gregor.protocol.message.DescribeGroupsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeGroups: state, protocol and members of each group. An unknown group is described as
 * Dead; from version 6 it also carries GROUP_ID_NOT_FOUND, as Kafka 4 answers.
 */
public final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequest, DescribeGroupsResponse> {
    private static final short FIRST_VERSION_WITH_NOT_FOUND = 6;

    private final GroupCoordinator coordinator;

    public DescribeGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.DESCRIBE_GROUPS.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 6;
    }

    @Override
    public CompletableFuture<DescribeGroupsResponse> handle(RequestContext context, DescribeGroupsRequest request) {
        List<CompletableFuture<DescribeGroupsResponse.DescribedGroup>> answers = new ArrayList<>();
        for (String groupId : request.groups()) {
            if (!context.authorized(AclOperation.DESCRIBE, AclResourceType.GROUP, groupId)) {
                answers.add(CompletableFuture.completedFuture(failed(groupId, Errors.GROUP_AUTHORIZATION_FAILED)));
                continue;
            }
            answers.add(coordinator.onShard(groupId, shard -> shard.describe(groupId),
                            error -> Optional.of(failed(groupId, error)))
                    .thenApply(found -> found.orElseGet(() -> unknown(context.apiVersion(), groupId))));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            DescribeGroupsResponse response = new DescribeGroupsResponse();
            answers.forEach(answer -> response.groups().add(answer.join()));
            if (request.includeAuthorizedOperations()) {
                // KIP-430: what the principal may do on each group it may describe
                response.groups().stream().filter(group -> group.errorCode() == Errors.NONE.code())
                        .forEach(group -> group.setAuthorizedOperations(
                                AuthorizedOperations.of(context, AclResourceType.GROUP, group.groupId())));
            }
            return response;
        });
    }

    private static DescribeGroupsResponse.DescribedGroup unknown(short version, String groupId) {
        Errors error = version >= FIRST_VERSION_WITH_NOT_FOUND ? Errors.GROUP_ID_NOT_FOUND : Errors.NONE;
        return failed(groupId, error).setGroupState("Dead");
    }

    private static DescribeGroupsResponse.DescribedGroup failed(String groupId, Errors error) {
        return new DescribeGroupsResponse.DescribedGroup().setGroupId(groupId).setErrorCode(error.code())
                .setGroupState("").setProtocolType("").setProtocolData("");
    }
}
