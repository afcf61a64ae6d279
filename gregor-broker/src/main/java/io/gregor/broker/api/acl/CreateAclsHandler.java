package io.gregor.broker.api.acl;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.CreateAclsRequest;
import io.gregor.protocol.message.CreateAclsRequest.AclCreation;
import io.gregor.protocol.message.CreateAclsResponse;
import io.gregor.protocol.message.CreateAclsResponse.AclCreationResult;
import java.util.ArrayList;
import java.util.List;
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
            List<AclCreationResult> refused = new ArrayList<>();
            request.creations().forEach(creation -> refused.add(new AclCreationResult()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("Not authorized to create ACLs")));
            return CompletableFuture.completedFuture(new CreateAclsResponse().setResults(refused));
        }
        // Per creation: its error when its codes mean nothing, else null and its binding goes to the controller.
        List<ApiError> undecodable = new ArrayList<>();
        List<AclBinding> acls = new ArrayList<>();
        for (AclCreation creation : request.creations()) {
            try {
                acls.add(AclCodes.binding(creation.resourceType(), creation.resourceName(),
                        creation.resourcePatternType(), creation.principal(), creation.host(), creation.operation(),
                        creation.permissionType()));
                undecodable.add(null);
            } catch (ApiException e) {
                undecodable.add(ControllerErrors.toApiError(e));
            }
        }
        return controller.createAcls(acls).handle((outcomes, failure) -> {
            List<AclCreationResult> results = new ArrayList<>();
            int decided = 0;
            for (ApiError error : undecodable) {
                if (error == null) {
                    error = failure == null ? outcomes.get(decided++) : ControllerErrors.toApiError(failure);
                }
                results.add(new AclCreationResult()
                        .setErrorCode(error.error().code())
                        .setErrorMessage(ControllerErrors.wireMessage(error)));
            }
            return new CreateAclsResponse().setResults(results);
        });
    }
}
