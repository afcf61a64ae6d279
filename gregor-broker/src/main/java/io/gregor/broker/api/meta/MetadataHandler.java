package io.gregor.broker.api.meta;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.AuthorizedOperations;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.metadata.control.CreateTopicResult;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.control.TopicNames;
import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.InternalTopics;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.image.TopicImage;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.MetadataRequest;
import io.gregor.protocol.message.MetadataResponse;
import io.gregor.protocol.message.MetadataResponse.MetadataResponseBroker;
import io.gregor.protocol.message.MetadataResponse.MetadataResponsePartition;
import io.gregor.protocol.message.MetadataResponse.MetadataResponseTopic;
import io.gregor.protocol.wire.WireFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Metadata, versions 0-13: brokers, cluster id, controller, and topics with their partitions'
 * leaders, epochs, replicas, in-sync and offline replicas. Answered from the latest committed
 * image. With {@code auto.create.topics.enable} and the request's allowAutoTopicCreation (always
 * on before v4), unknown topics are created with the broker defaults and answered as created;
 * internal topics are left to their coordinators, which create them with their own settings.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequest, MetadataResponse> {
    private final QuorumController controller;
    private final BrokerIdentity identity;
    private final boolean autoCreateTopicsEnable;

    public MetadataHandler(QuorumController controller, BrokerIdentity identity, boolean autoCreateTopicsEnable) {
        this.controller = controller;
        this.identity = identity;
        this.autoCreateTopicsEnable = autoCreateTopicsEnable;
    }

    @Override
    public short apiKey() {
        return ApiKey.METADATA.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 13;
    }

    @Override
    public CompletableFuture<MetadataResponse> handle(RequestContext context, MetadataRequest request) {
        return describe(context, request).thenApply(response -> withAuthorizedOperations(context, request, response));
    }

    /** KIP-430: what the principal may do on each topic, and (v8 to v10) on the cluster, when asked. */
    private static MetadataResponse withAuthorizedOperations(RequestContext context, MetadataRequest request,
                                                             MetadataResponse response) {
        if (request.includeTopicAuthorizedOperations()) {
            response.topics().stream()
                    .filter(topic -> topic.errorCode() == Errors.NONE.code())
                    .forEach(topic -> topic.setTopicAuthorizedOperations(
                            AuthorizedOperations.of(context, AclResourceType.TOPIC, topic.name())));
        }
        if (request.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(AuthorizedOperations.ofCluster(context));
        }
        return response;
    }

    private CompletableFuture<MetadataResponse> describe(RequestContext context, MetadataRequest request) {
        MetadataImage image = controller.image();
        List<MetadataRequest.MetadataRequestTopic> requested = request.topics();
        boolean allTopics = requested == null || (context.apiVersion() == 0 && requested.isEmpty());
        if (allTopics) {
            // as in Kafka, all topics means all the principal may describe
            List<MetadataResponseTopic> topics = new ArrayList<>();
            image.topicsByName().values().stream()
                    .filter(topic -> context.authorized(AclOperation.DESCRIBE, AclResourceType.TOPIC, topic.name()))
                    .forEach(topic -> topics.add(topic(topic, image)));
            return CompletableFuture.completedFuture(response(context, image, topics));
        }
        Set<String> toCreate = new LinkedHashSet<>();
        Set<String> notToCreate = new HashSet<>();
        for (MetadataRequest.MetadataRequestTopic topic : requested) {
            if (!byId(topic) && image.topic(topic.name()).isEmpty() && mayAutoCreate(request, topic.name())) {
                (mayCreate(context, topic.name()) ? toCreate : notToCreate).add(topic.name());
            }
        }
        if (toCreate.isEmpty()) {
            return CompletableFuture.completedFuture(answer(context, image, requested, Map.of(), notToCreate));
        }
        return controller.createTopics(toCreate.stream().map(CreatableTopic::withDefaults).toList(), false)
                .handle((results, failure) -> {
                    Map<String, ApiError> creationErrors = new HashMap<>();
                    if (failure != null) {
                        ApiError error = ControllerErrors.toApiError(failure);
                        toCreate.forEach(name -> creationErrors.put(name, error));
                    } else {
                        for (CreateTopicResult result : results) {
                            creationErrors.put(result.name(), result.error());
                        }
                    }
                    return answer(context, controller.image(), requested, creationErrors, notToCreate);
                });
    }

    private boolean mayAutoCreate(MetadataRequest request, String name) {
        return autoCreateTopicsEnable && request.allowAutoTopicCreation() && TopicNames.validate(name).isEmpty()
                && !InternalTopics.isInternal(name);
    }

    private MetadataResponse answer(RequestContext context, MetadataImage image,
                                    List<MetadataRequest.MetadataRequestTopic> requested,
                                    Map<String, ApiError> creationErrors, Set<String> refusedCreation) {
        List<MetadataResponseTopic> topics = new ArrayList<>();
        Set<Object> answered = new HashSet<>();
        for (MetadataRequest.MetadataRequestTopic wanted : requested) {
            if (byId(wanted)) {
                if (answered.add(wanted.topicId())) {
                    topics.add(image.topic(wanted.topicId())
                            .map(topic -> described(context, topic.name()) ? topic(topic, image)
                                    : error(topic.name(), Errors.TOPIC_AUTHORIZATION_FAILED))
                            .orElseGet(() -> unknownId(wanted.topicId())));
                }
            } else if (answered.add(wanted.name())) {
                // as in Kafka: not to be described, or to be auto-created without CREATE
                boolean refused = !described(context, wanted.name()) || refusedCreation.contains(wanted.name());
                topics.add(refused ? error(wanted.name(), Errors.TOPIC_AUTHORIZATION_FAILED)
                        : byName(image, wanted.name(), creationErrors));
            }
        }
        return response(context, image, topics);
    }

    /**
     * A topic asked for by id (v12+): the name is null, or empty with an id, which is how
     * kafka-clients 4.1 asks for the topics a broker-side regex gave it.
     */
    private static boolean byId(MetadataRequest.MetadataRequestTopic wanted) {
        return wanted.name() == null
                || (wanted.name().isEmpty() && !WireFormat.ZERO_UUID.equals(wanted.topicId()));
    }

    private static boolean described(RequestContext context, String topic) {
        return context.authorized(AclOperation.DESCRIBE, AclResourceType.TOPIC, topic);
    }

    /**
     * Kafka's rule for creating a topic, by CreateTopics or auto-creation: CREATE on the cluster or
     * on the topic; and the topic must be one the principal may describe.
     */
    private static boolean mayCreate(RequestContext context, String topic) {
        return described(context, topic) && (context.authorizedOnCluster(AclOperation.CREATE)
                || context.authorized(AclOperation.CREATE, AclResourceType.TOPIC, topic));
    }

    private MetadataResponseTopic byName(MetadataImage image, String name, Map<String, ApiError> creationErrors) {
        if (image.topic(name).isPresent()) {
            return topic(image.topic(name).get(), image);
        }
        if (TopicNames.validate(name).isPresent()) {
            return error(name, Errors.INVALID_TOPIC_EXCEPTION);
        }
        ApiError creation = creationErrors.get(name);
        if (creation != null && !creation.isSuccess() && creation.error() != Errors.TOPIC_ALREADY_EXISTS) {
            return error(name, creation.error());
        }
        // Created and deleted again before we looked, or creation is not allowed.
        return error(name, creation != null ? Errors.LEADER_NOT_AVAILABLE : Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    private MetadataResponse response(RequestContext context, MetadataImage image, List<MetadataResponseTopic> topics) {
        List<MetadataResponseBroker> brokers = new ArrayList<>();
        // Clients see only unfenced brokers, as with Kafka: a fenced one may be down. A cluster node
        // serves before its registration is committed; until some broker is, it names itself, since
        // a client given no broker at all stops asking (Kafka's clients wait minutes to rebootstrap).
        Collection<BrokerRegistration> listed = image.unfencedBrokers().isEmpty()
                ? List.of(identity.toRegistration()) : image.unfencedBrokers().values();
        for (BrokerRegistration broker : listed) {
            BrokerEndpoint endpoint = Endpoints.forListener(broker, context.listenerName());
            brokers.add(new MetadataResponseBroker()
                    .setNodeId(broker.id())
                    .setHost(endpoint.host())
                    .setPort(endpoint.port())
                    .setRack(broker.rack().orElse(null)));
        }
        return new MetadataResponse()
                .setBrokers(brokers)
                .setClusterId(image.clusterId())
                .setControllerId(ControllerIds.forClients(controller, image, identity.nodeId()))
                .setTopics(topics);
    }

    private MetadataResponseTopic topic(TopicImage topic, MetadataImage image) {
        Set<Integer> live = image.unfencedBrokers().keySet();
        List<MetadataResponsePartition> partitions = new ArrayList<>();
        for (PartitionImage partition : topic.partitions().values()) {
            OptionalInt leader = AdvertisedLeader.of(partition, live);
            partitions.add(new MetadataResponsePartition()
                    .setErrorCode((leader.isPresent() ? Errors.NONE : Errors.LEADER_NOT_AVAILABLE).code())
                    .setPartitionIndex(partition.partition())
                    .setLeaderId(leader.orElse(PartitionImage.NO_LEADER))
                    .setLeaderEpoch(partition.leaderEpoch())
                    .setReplicaNodes(new ArrayList<>(partition.replicas()))
                    .setIsrNodes(new ArrayList<>(partition.isr()))
                    .setOfflineReplicas(new ArrayList<>(partition.offlineReplicas(live))));
        }
        return new MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(topic.isInternal())
                .setPartitions(partitions);
    }

    private static MetadataResponseTopic error(String name, Errors error) {
        return new MetadataResponseTopic()
                .setErrorCode(error.code())
                .setName(name)
                .setTopicId(WireFormat.ZERO_UUID)
                .setIsInternal(InternalTopics.isInternal(name));
    }

    private static MetadataResponseTopic unknownId(UUID id) {
        return new MetadataResponseTopic()
                .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                .setName(null)
                .setTopicId(id)
                .setIsInternal(false);
    }
}
