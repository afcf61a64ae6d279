package io.gregor.broker.api.meta;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.AuthorizedOperations;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeClusterRequest;
import io.gregor.protocol.message.DescribeClusterResponse;
import io.gregor.protocol.message.DescribeClusterResponse.DescribeClusterBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeCluster, versions 0-2: cluster id, controller and brokers. Only broker endpoints are
 * served (endpoint type 1); asking a broker for controller endpoints is UNSUPPORTED_ENDPOINT_TYPE,
 * as in Kafka. No broker is ever fenced here, so v2's includeFencedBrokers changes nothing.
 */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequest, DescribeClusterResponse> {
    private static final byte BROKER_ENDPOINTS = 1;

    private final QuorumController controller;
    private final BrokerIdentity identity;

    public DescribeClusterHandler(QuorumController controller, BrokerIdentity identity) {
        this.controller = controller;
        this.identity = identity;
    }

    @Override
    public short apiKey() {
        return ApiKey.DESCRIBE_CLUSTER.id();
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
    public CompletableFuture<DescribeClusterResponse> handle(RequestContext context, DescribeClusterRequest request) {
        DescribeClusterResponse response = new DescribeClusterResponse().setEndpointType(request.endpointType());
        if (request.endpointType() != BROKER_ENDPOINTS) {
            return CompletableFuture.completedFuture(response
                    .setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("The target broker only supports BROKER endpoint type"));
        }
        MetadataImage image = controller.image();
        List<DescribeClusterBroker> brokers = new ArrayList<>();
        for (BrokerRegistration broker : image.brokers().values()) {
            if (broker.fenced() && !request.includeFencedBrokers()) {
                continue;
            }
            BrokerEndpoint endpoint = Endpoints.forListener(broker, context.listenerName());
            brokers.add(new DescribeClusterBroker()
                    .setBrokerId(broker.id())
                    .setHost(endpoint.host())
                    .setPort(endpoint.port())
                    .setRack(broker.rack().orElse(null))
                    .setIsFenced(broker.fenced()));
        }
        if (request.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(AuthorizedOperations.ofCluster(context)); // KIP-430
        }
        return CompletableFuture.completedFuture(response
                .setErrorCode(Errors.NONE.code())
                .setClusterId(image.clusterId())
                .setControllerId(ControllerIds.forClients(controller, image, identity.nodeId()))
                .setBrokers(brokers));
    }
}
