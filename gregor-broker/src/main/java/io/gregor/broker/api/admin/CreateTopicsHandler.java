package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.client.NodeClientConfig;
import io.gregor.broker.quota.MutationQuota;
import io.gregor.broker.quota.MutationQuotas;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.metadata.control.CreateTopicResult;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.CreateTopicsRequest;
import io.gregor.protocol.message.CreateTopicsResponse;
import io.gregor.protocol.message.CreateTopicsResponse.CreatableTopicConfigs;
import io.gregor.protocol.message.CreateTopicsResponse.CreatableTopicResult;
import io.gregor.protocol.wire.WireFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * CreateTopics, versions 2-7 (all that Kafka 4.1 keeps). Topics named twice in one request fail
 * with INVALID_REQUEST; -1 partitions or replication factor mean the broker defaults; v5+
 * responses describe the configs the topic got (or would get, when only validating).
 *
 * <p>A client's partitions count against its controller_mutation_rate ({@link MutationQuota}):
 * from v6, a topic the quota does not admit fails with THROTTLING_QUOTA_EXCEEDED (Kafka's Admin
 * client retries it after the throttle time); before, it is created and the client throttled.
 * They count on the broker the client sent them to, which asks the controller itself.
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequest, CreateTopicsResponse> {
    private static final int DEFAULT = -1;
    private static final short FIRST_VERSION_REFUSING_OVER_QUOTA = 6;

    private final QuorumController controller;
    private final TopicConfigDescriber configs;
    private final MutationQuotas mutationQuotas;
    private final int defaultPartitions;

    /**
     * @param mutationQuotas the controller_mutation_rate quotas
     * @param defaultPartitions {@code num.partitions}, what a topic of -1 partitions counts against them
     */
    public CreateTopicsHandler(QuorumController controller, TopicConfigCatalog catalog, BrokerConfigView brokerConfig,
                               MutationQuotas mutationQuotas, int defaultPartitions) {
        this.controller = controller;
        this.configs = new TopicConfigDescriber(catalog, brokerConfig);
        this.mutationQuotas = mutationQuotas;
        this.defaultPartitions = defaultPartitions;
    }

    @Override
    public short apiKey() {
        return ApiKey.CREATE_TOPICS.id();
    }

    @Override
    public short minVersion() {
        return 2;
    }

    @Override
    public short maxVersion() {
        return 7;
    }

    @Override
    public CompletableFuture<CreateTopicsResponse> handle(RequestContext context, CreateTopicsRequest request) {
        Map<String, CreatableTopicResult> early = new HashMap<>();
        Set<String> duplicates = duplicateNames(request);
        List<CreatableTopic> valid = new ArrayList<>();
        // Brokers forward the creations they decided (auto-creation, CreateTopics sent to them, the
        // internal topics) as themselves: authorized where the client asked, they come from a
        // principal with CLUSTER_ACTION, as a node's requests do.
        boolean fromNode = context.authorizedOnCluster(AclOperation.CLUSTER_ACTION);
        // The creations a broker forwards were counted where the client sent them.
        MutationQuota quota = request.validateOnly() || fromNode && NodeClientConfig.isNodeClientId(context.clientId())
                ? MutationQuota.UNLIMITED
                : mutationQuotas.forRequest(context.userName(), context.clientId(),
                        context.apiVersion() >= FIRST_VERSION_REFUSING_OVER_QUOTA);
        for (CreateTopicsRequest.CreatableTopic topic : request.topics()) {
            if (duplicates.contains(topic.name())) {
                early.put(topic.name(), failed(topic.name(), ApiError.of(Errors.INVALID_REQUEST,
                        "Create topics request contains multiple entries for the topic " + topic.name())));
                continue;
            }
            // Kafka's rule: CREATE on the cluster or on the topic
            if (!fromNode && !context.authorizedOnCluster(AclOperation.CREATE)
                    && !context.authorized(AclOperation.CREATE, AclResourceType.TOPIC, topic.name())) {
                early.put(topic.name(), failed(topic.name(), ApiError.of(Errors.TOPIC_AUTHORIZATION_FAILED,
                        "Not authorized to create topic " + topic.name())));
                continue;
            }
            Optional<ApiError> invalid = validateShape(topic);
            if (invalid.isPresent()) {
                early.put(topic.name(), failed(topic.name(), invalid.get()));
                continue;
            }
            if (!quota.admit(partitionCount(topic))) {
                early.put(topic.name(), failed(topic.name(), ControllerErrors.THROTTLING_QUOTA_EXCEEDED));
                continue;
            }
            valid.add(toCreatable(topic));
        }
        return controller.createTopics(valid, request.validateOnly())
                .handle((results, failure) -> {
                    Map<String, CreatableTopicResult> byName = new LinkedHashMap<>(early);
                    int mutations = 0;
                    if (failure != null) {
                        ApiError error = ControllerErrors.toApiError(failure);
                        valid.forEach(topic -> byName.put(topic.name(), failed(topic.name(), error)));
                        valid.forEach(topic -> quota.giveBack(partitionCount(topic)));
                    } else {
                        for (int i = 0; i < results.size(); i++) {
                            byName.put(results.get(i).name(), toResponse(results.get(i), valid.get(i)));
                            if (results.get(i).error().isSuccess()) {
                                mutations += results.get(i).numPartitions();
                            } else {
                                quota.giveBack(partitionCount(valid.get(i)));
                            }
                        }
                    }
                    List<CreatableTopicResult> ordered = new ArrayList<>();
                    Set<String> answered = new HashSet<>();
                    for (CreateTopicsRequest.CreatableTopic topic : request.topics()) {
                        if (answered.add(topic.name())) {
                            ordered.add(byName.get(topic.name()));
                        }
                    }
                    long throttleMs = quota.throttleMs(mutations);
                    context.throttle().throttle(throttleMs);
                    return new CreateTopicsResponse().setThrottleTimeMs((int) throttleMs).setTopics(ordered);
                });
    }

    /** The partitions a topic would get: its assignment's, else its count, else the broker default. */
    private int partitionCount(CreateTopicsRequest.CreatableTopic topic) {
        if (!topic.assignments().isEmpty()) {
            return topic.assignments().size();
        }
        return topic.numPartitions() == DEFAULT ? defaultPartitions : Math.max(0, topic.numPartitions());
    }

    private int partitionCount(CreatableTopic topic) {
        return topic.assignments().isEmpty() ? topic.numPartitions().orElse(defaultPartitions)
                : topic.assignments().size();
    }

    private static Set<String> duplicateNames(CreateTopicsRequest request) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreateTopicsRequest.CreatableTopic topic : request.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        return duplicates;
    }

    private static Optional<ApiError> validateShape(CreateTopicsRequest.CreatableTopic topic) {
        for (CreateTopicsRequest.CreatableTopicConfig config : topic.configs()) {
            if (config.value() == null) {
                return Optional.of(ApiError.of(Errors.INVALID_CONFIG,
                        "Null value not supported for topic configs: " + config.name()));
            }
        }
        Set<Integer> partitions = new HashSet<>();
        for (CreateTopicsRequest.CreatableReplicaAssignment assignment : topic.assignments()) {
            if (!partitions.add(assignment.partitionIndex())) {
                return Optional.of(ApiError.of(Errors.INVALID_REQUEST,
                        "Partition " + assignment.partitionIndex() + " is assigned twice."));
            }
        }
        return Optional.empty();
    }

    private static CreatableTopic toCreatable(CreateTopicsRequest.CreatableTopic topic) {
        Map<Integer, List<Integer>> assignments = new HashMap<>();
        topic.assignments().forEach(a -> assignments.put(a.partitionIndex(), List.copyOf(a.brokerIds())));
        Map<String, String> configs = new HashMap<>();
        topic.configs().forEach(c -> configs.put(c.name(), c.value()));
        return new CreatableTopic(topic.name(),
                topic.numPartitions() == DEFAULT ? OptionalInt.empty() : OptionalInt.of(topic.numPartitions()),
                topic.replicationFactor() == DEFAULT ? Optional.empty() : Optional.of(topic.replicationFactor()),
                assignments, configs);
    }

    private CreatableTopicResult toResponse(CreateTopicResult result, CreatableTopic requested) {
        if (!result.error().isSuccess()) {
            return failed(result.name(), result.error());
        }
        List<CreatableTopicConfigs> described = new ArrayList<>();
        for (DescribedConfig config : configs.describe(controller.image(), requested.configs(), Optional.empty())) {
            described.add(new CreatableTopicConfigs()
                    .setName(config.name())
                    .setValue(config.value().orElse(null))
                    .setReadOnly(config.readOnly())
                    .setConfigSource(config.source().code())
                    .setIsSensitive(config.sensitive()));
        }
        return new CreatableTopicResult()
                .setName(result.name())
                .setTopicId(result.topicId().orElse(WireFormat.ZERO_UUID))
                .setErrorCode(Errors.NONE.code())
                .setErrorMessage(null)
                .setNumPartitions(result.numPartitions())
                .setReplicationFactor(result.replicationFactor())
                .setConfigs(described);
    }

    private static CreatableTopicResult failed(String name, ApiError error) {
        return new CreatableTopicResult()
                .setName(name)
                .setErrorCode(error.error().code())
                .setErrorMessage(ControllerErrors.wireMessage(error))
                .setNumPartitions(DEFAULT)
                .setReplicationFactor((short) DEFAULT)
                .setConfigs(null);
    }
}
