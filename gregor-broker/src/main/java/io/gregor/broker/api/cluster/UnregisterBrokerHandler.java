package io.gregor.broker.api.cluster;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.UnregisterBrokerRequest;
import io.gregor.protocol.message.UnregisterBrokerResponse;
import java.util.concurrent.CompletableFuture;

/**
 * UnregisterBroker, version 0 ({@code Admin.unregisterBroker}, {@code kafka-cluster.sh unregister}):
 * removes a fenced broker from the cluster for good; see {@link QuorumController#unregisterBroker}.
 * Other nodes forward it to the active controller.
 */
public final class UnregisterBrokerHandler implements ApiHandler<UnregisterBrokerRequest, UnregisterBrokerResponse> {
    private final QuorumController controller;

    public UnregisterBrokerHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.UNREGISTER_BROKER.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<UnregisterBrokerResponse> handle(RequestContext context, UnregisterBrokerRequest request) {
        if (!context.authorizedOnCluster(AclOperation.ALTER)) {
            return CompletableFuture.completedFuture(new UnregisterBrokerResponse()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("Not authorized to unregister brokers"));
        }
        return controller.unregisterBroker(request.brokerId()).handle((done, failure) -> {
            if (failure == null) {
                return new UnregisterBrokerResponse();
            }
            ApiError error = ControllerErrors.toApiError(failure);
            return new UnregisterBrokerResponse().setErrorCode(error.error().code())
                    .setErrorMessage(ControllerErrors.wireMessage(error));
        });
    }
}
