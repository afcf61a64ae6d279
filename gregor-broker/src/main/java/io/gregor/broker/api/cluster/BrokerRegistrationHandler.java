package io.gregor.broker.api.cluster;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.BrokerRegistrationRequest;
import io.gregor.protocol.message.BrokerRegistrationResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * BrokerRegistration, versions 0-4, served by the active controller: a broker of the cluster
 * joins (or rejoins after a restart) with its endpoints, rack and incarnation id. Another
 * cluster's broker gets INCONSISTENT_CLUSTER_ID; a node that is not the active controller answers
 * NOT_CONTROLLER. The broker epoch answered is the metadata offset after the registration; the
 * broker's heartbeats carry it.
 */
public final class BrokerRegistrationHandler
        implements ApiHandler<BrokerRegistrationRequest, BrokerRegistrationResponse> {
    private final QuorumController controller;

    public BrokerRegistrationHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.BROKER_REGISTRATION.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<BrokerRegistrationResponse> handle(RequestContext context,
                                                                BrokerRegistrationRequest request) {
        // Only the cluster's nodes register: Kafka's rule, CLUSTER_ACTION on the cluster.
        if (!context.authorizedOnCluster(AclOperation.CLUSTER_ACTION)) {
            return CompletableFuture.completedFuture(new BrokerRegistrationResponse()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        if (!controller.image().clusterId().equals(request.clusterId())) {
            return CompletableFuture.completedFuture(new BrokerRegistrationResponse()
                    .setErrorCode(Errors.INCONSISTENT_CLUSTER_ID.code()));
        }
        List<BrokerEndpoint> endpoints = request.listeners().stream()
                .map(l -> new BrokerEndpoint(l.name(), l.host(), l.port()))
                .toList();
        BrokerRegistration registration = new BrokerRegistration(request.brokerId(), endpoints,
                Optional.ofNullable(request.rack()), request.incarnationId(), false);
        return controller.registerBroker(registration).handle((epoch, failure) -> failure == null
                ? new BrokerRegistrationResponse().setBrokerEpoch(epoch)
                : new BrokerRegistrationResponse().setErrorCode(ControllerErrors.toApiError(failure).error().code()));
    }
}
