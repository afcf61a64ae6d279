package io.gregor.broker.api.acl;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclBindingFilter;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DeleteAclsRequest;
import io.gregor.protocol.message.DeleteAclsResponse;
import io.gregor.protocol.message.DeleteAclsResponse.DeleteAclsFilterResult;
import io.gregor.protocol.message.DeleteAclsResponse.DeleteAclsMatchingAcl;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteAcls, versions 1 to 3 (KIP-11, KIP-290): deletes through the controller the ACLs each
 * filter matches and answers, per filter in request order, the ACLs it deleted. A filter with a
 * code that means nothing fails alone with INVALID_REQUEST.
 */
public final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequest, DeleteAclsResponse> {
    private final QuorumController controller;

    public DeleteAclsHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.DELETE_ACLS.id();
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<DeleteAclsResponse> handle(RequestContext context, DeleteAclsRequest request) {
        if (!context.authorizedOnCluster(AclOperation.ALTER)) {
            // Kafka's rule: changing ACLs takes ALTER on the cluster
            ApiError refused = ApiError.of(Errors.CLUSTER_AUTHORIZATION_FAILED, "Not authorized to delete ACLs");
            return CompletableFuture.completedFuture(new DeleteAclsResponse().setFilterResults(
                    request.filters().stream().map(filter -> failed(refused)).toList()));
        }
        DecodedItems<AclBindingFilter> filters = DecodedItems.decode(request.filters(), filter -> AclCodes.filter(
                filter.resourceTypeFilter(), filter.resourceNameFilter(), filter.patternTypeFilter(),
                filter.principalFilter(), filter.hostFilter(), filter.operation(), filter.permissionType()));
        return controller.deleteAcls(filters.decoded()).handle((deleted, failure) -> new DeleteAclsResponse()
                .setFilterResults(filters.answers(deleted, failure, DeleteAclsHandler::failed, matched ->
                        new DeleteAclsFilterResult()
                                .setErrorCode(Errors.NONE.code())
                                .setMatchingAcls(matched.stream().map(DeleteAclsHandler::matching).toList()))));
    }

    private static DeleteAclsFilterResult failed(ApiError error) {
        return new DeleteAclsFilterResult()
                .setErrorCode(error.error().code())
                .setErrorMessage(ControllerErrors.wireMessage(error))
                .setMatchingAcls(List.of());
    }

    private static DeleteAclsMatchingAcl matching(AclBinding acl) {
        return new DeleteAclsMatchingAcl()
                .setErrorCode(Errors.NONE.code())
                .setResourceType(acl.resourceType().code())
                .setResourceName(acl.resourceName())
                .setPatternType(acl.patternType().code())
                .setPrincipal(acl.principal())
                .setHost(acl.host())
                .setOperation(acl.operation().code())
                .setPermissionType(acl.permission().code());
    }
}
