package io.gregor.broker.api.acl;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.CreateAclsRequest;
import io.gregor.protocol.message.CreateAclsResponse;
import io.gregor.protocol.message.CreateAclsResponse.AclCreationResult;
import java.util.concurrent.CompletableFuture;

/**
 * CreateAcls, versions 1 to 3 (KIP-11, KIP-290): creates ACLs through the controller, one result
 * per creation in request order. An ACL that exists already is a success; an invalid one fails
 * alone with INVALID_REQUEST and the reason.
 */
public final class CreateAclsHandler implements ApiHandler<CreateAclsRequest, CreateAclsResponse> {
    private final QuorumController controller;

    public CreateAclsHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.CREATE_ACLS.id();
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
    public CompletableFuture<CreateAclsResponse> handle(RequestContext context, CreateAclsRequest request) {
        if (!context.authorizedOnCluster(AclOperation.ALTER)) {
            // Kafka's rule: changing ACLs takes ALTER on the cluster
            ApiError refused = ApiError.of(Errors.CLUSTER_AUTHORIZATION_FAILED, "Not authorized to create ACLs");
            return CompletableFuture.completedFuture(new CreateAclsResponse().setResults(
                    request.creations().stream().map(creation -> result(refused)).toList()));
        }
        DecodedItems<AclBinding> acls = DecodedItems.decode(request.creations(), creation -> AclCodes.binding(
                creation.resourceType(), creation.resourceName(), creation.resourcePatternType(), creation.principal(),
                creation.host(), creation.operation(), creation.permissionType()));
        return controller.createAcls(acls.decoded()).handle((outcomes, failure) -> new CreateAclsResponse()
                .setResults(acls.answers(outcomes, failure, CreateAclsHandler::result, CreateAclsHandler::result)));
    }

    private static AclCreationResult result(ApiError error) {
        return new AclCreationResult()
                .setErrorCode(error.error().code())
                .setErrorMessage(ControllerErrors.wireMessage(error));
    }
}
