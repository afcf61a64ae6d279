package io.gregor.broker.api.cluster;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.BrokerHeartbeatRequest;
import io.gregor.protocol.message.BrokerHeartbeatResponse;
import java.util.concurrent.CompletableFuture;

/**
 * BrokerHeartbeat, versions 0-1, served by the active controller: renews the broker's session
 * (unfencing it if it was fenced), or with {@code wantShutDown} moves its leaderships away and
 * answers {@code shouldShutDown} (controlled shutdown). Brokers load metadata before they
 * register, so every broker is reported caught up.
 */
public final class BrokerHeartbeatHandler implements ApiHandler<BrokerHeartbeatRequest, BrokerHeartbeatResponse> {
    private final QuorumController controller;

    public BrokerHeartbeatHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.BROKER_HEARTBEAT.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<BrokerHeartbeatResponse> handle(RequestContext context, BrokerHeartbeatRequest request) {
        // Only the cluster's nodes send heartbeats: Kafka's rule, CLUSTER_ACTION on the cluster.
        if (!context.authorizedOnCluster(AclOperation.CLUSTER_ACTION)) {
            return CompletableFuture.completedFuture(new BrokerHeartbeatResponse().setIsFenced(true)
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        return controller.brokerHeartbeat(request.brokerId(), request.brokerEpoch(), request.wantShutDown()).handle((result, failure) ->
                failure == null
                        ? new BrokerHeartbeatResponse().setIsCaughtUp(true).setIsFenced(result.fenced())
                                .setShouldShutDown(result.shouldShutDown())
                        : new BrokerHeartbeatResponse().setIsFenced(true)
                                .setErrorCode(ControllerErrors.toApiError(failure).error().code()));
    }
}
