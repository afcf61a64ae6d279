package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
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
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequest, CreateTopicsResponse> {
    private static final int DEFAULT = -1;

    private final QuorumController controller;
    private final TopicConfigDescriber configs;

    public CreateTopicsHandler(QuorumController controller, TopicConfigCatalog catalog, BrokerConfigView brokerConfig) {
        this.controller = controller;
        this.configs = new TopicConfigDescriber(catalog, brokerConfig);
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
            valid.add(toCreatable(topic));
        }
        return controller.createTopics(valid, request.validateOnly())
                .handle((results, failure) -> {
                    Map<String, CreatableTopicResult> byName = new LinkedHashMap<>(early);
                    if (failure != null) {
                        ApiError error = ControllerErrors.toApiError(failure);
                        valid.forEach(topic -> byName.put(topic.name(), failed(topic.name(), error)));
                    } else {
                        for (int i = 0; i < results.size(); i++) {
                            byName.put(results.get(i).name(), toResponse(results.get(i), valid.get(i)));
                        }
                    }
                    List<CreatableTopicResult> ordered = new ArrayList<>();
                    Set<String> answered = new HashSet<>();
                    for (CreateTopicsRequest.CreatableTopic topic : request.topics()) {
                        if (answered.add(topic.name())) {
                            ordered.add(byName.get(topic.name()));
                        }
                    }
                    return new CreateTopicsResponse().setTopics(ordered);
                });
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
