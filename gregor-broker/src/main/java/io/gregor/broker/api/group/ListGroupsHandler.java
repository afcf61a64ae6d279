package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ListGroupsRequest;
import io.gregor.protocol.message.ListGroupsResponse;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * ListGroups: the groups this broker coordinates, filtered by state (version 4+) and by type
 * (5+; every group here is "classic"). Filters compare case-insensitively; an empty filter
 * keeps everything.
 */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequest, ListGroupsResponse> {
    private final GroupCoordinator coordinator;

    public ListGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.LIST_GROUPS.id();
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
    public CompletableFuture<ListGroupsResponse> handle(RequestContext context, ListGroupsRequest request) {
        Set<String> states = lowerCase(request.statesFilter());
        Set<String> types = lowerCase(request.typesFilter());
        // DESCRIBE on the cluster shows every group; without it, only the groups the principal may describe.
        boolean all = context.authorizedOnCluster(AclOperation.DESCRIBE);
        return coordinator.listGroups().thenApply(listing -> {
            ListGroupsResponse response = new ListGroupsResponse().setErrorCode(listing.error().code());
            for (ListGroupsResponse.ListedGroup group : listing.groups()) {
                boolean stateMatches = states.isEmpty() || states.contains(group.groupState().toLowerCase(Locale.ROOT));
                boolean typeMatches = types.isEmpty() || types.contains(group.groupType().toLowerCase(Locale.ROOT));
                if (stateMatches && typeMatches && (all
                        || context.authorized(AclOperation.DESCRIBE, AclResourceType.GROUP, group.groupId()))) {
                    response.groups().add(group);
                }
            }
            return response;
        });
    }

    private static Set<String> lowerCase(java.util.List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
