package io.gregor.broker.cluster;

import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.metadata.control.CreateTopicResult;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.CreateTopicsRequest;
import io.gregor.protocol.message.CreateTopicsResponse;
import io.gregor.protocol.wire.WireFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Topic creations of a node that is not the active controller (CreateTopics from clients, topics
 * auto-created by Metadata, the offsets topic of the group coordinator) sent to the controller as
 * a CreateTopics request.
 */
public final class CreateTopicsForwarder implements QuorumController.TopicCreationForwarder {
    /** CreateTopics v7: flexible, answers with topic ids. */
    private static final short VERSION = 7;
    private static final int TIMEOUT_MS = 30_000;
    private static final int DEFAULT = -1;

    private final ControllerChannel channel;

    public CreateTopicsForwarder(ControllerChannel channel) {
        this.channel = channel;
    }

    @Override
    public CompletableFuture<List<CreateTopicResult>> createTopics(List<CreatableTopic> topics, boolean validateOnly) {
        CreateTopicsRequest request = new CreateTopicsRequest()
                .setTopics(new ArrayList<>(topics.stream().map(CreateTopicsForwarder::toWire).toList()))
                .settimeoutMs(TIMEOUT_MS)
                .setvalidateOnly(validateOnly);
        return channel.<CreateTopicsResponse>send(request, VERSION).thenApply(response -> {
            Map<String, CreateTopicsResponse.CreatableTopicResult> byName = new HashMap<>();
            response.topics().forEach(result -> byName.put(result.name(), result));
            List<CreateTopicResult> results = new ArrayList<>();
            for (CreatableTopic topic : topics) {
                CreateTopicsResponse.CreatableTopicResult result = byName.get(topic.name());
                results.add(result == null
                        ? new CreateTopicResult(topic.name(), ApiError.of(Errors.UNKNOWN_SERVER_ERROR,
                                "The controller did not answer for this topic"), Optional.empty(), 0, (short) 0)
                        : fromWire(result));
            }
            return results;
        });
    }

    private static CreateTopicsRequest.CreatableTopic toWire(CreatableTopic topic) {
        List<CreateTopicsRequest.CreatableReplicaAssignment> assignments = new ArrayList<>();
        topic.assignments().forEach((partition, replicas) -> assignments.add(
                new CreateTopicsRequest.CreatableReplicaAssignment().setPartitionIndex(partition)
                        .setBrokerIds(new ArrayList<>(replicas))));
        List<CreateTopicsRequest.CreatableTopicConfig> configs = new ArrayList<>();
        topic.configs().forEach((name, value) -> configs.add(
                new CreateTopicsRequest.CreatableTopicConfig().setName(name).setValue(value)));
        return new CreateTopicsRequest.CreatableTopic()
                .setName(topic.name())
                .setNumPartitions(topic.numPartitions().orElse(DEFAULT))
                .setReplicationFactor(topic.replicationFactor().orElse((short) DEFAULT))
                .setAssignments(assignments)
                .setConfigs(configs);
    }

    private static CreateTopicResult fromWire(CreateTopicsResponse.CreatableTopicResult result) {
        Errors error = Errors.forCode(result.errorCode());
        ApiError apiError = error == Errors.NONE ? ApiError.NONE
                : result.errorMessage() == null ? new ApiError(error, Optional.empty())
                : ApiError.of(error, result.errorMessage());
        Optional<java.util.UUID> id = WireFormat.ZERO_UUID.equals(result.topicId()) ? Optional.empty()
                : Optional.of(result.topicId());
        return new CreateTopicResult(result.name(), apiError, id, result.numPartitions(), result.replicationFactor());
    }
}
