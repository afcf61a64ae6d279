package io.gregor.broker.api.cluster;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.TopicImage;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ElectLeadersRequest;
import io.gregor.protocol.message.ElectLeadersResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * ElectLeaders, versions 0-2 (what {@code kafka-leader-election.sh} and {@code Admin.electLeaders}
 * send): PREFERRED gives each partition's leadership to its first replica when that one is in
 * sync; UNCLEAN gives a partition without a leader an unfenced replica from outside its ISR.
 * Without a partition list, every partition is considered. Version 0 has no election type and
 * means PREFERRED. Other nodes forward the request to the active controller.
 */
public final class ElectLeadersHandler implements ApiHandler<ElectLeadersRequest, ElectLeadersResponse> {
    private static final byte PREFERRED = 0;
    private static final byte UNCLEAN = 1;

    private final QuorumController controller;

    public ElectLeadersHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.ELECT_LEADERS.id();
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
    public CompletableFuture<ElectLeadersResponse> handle(RequestContext context, ElectLeadersRequest request) {
        if (!context.authorizedOnCluster(AclOperation.ALTER)) {
            return CompletableFuture.completedFuture(unauthorized(context.apiVersion(), request));
        }
        Set<TopicPartition> partitions = requested(request);
        if (request.electionType() != PREFERRED && request.electionType() != UNCLEAN) {
            Map<TopicPartition, ApiError> refused = new LinkedHashMap<>();
            partitions.forEach(p -> refused.put(p, ApiError.of(Errors.INVALID_REQUEST,
                    "Unknown election type " + request.electionType())));
            return CompletableFuture.completedFuture(response(refused));
        }
        CompletableFuture<Map<TopicPartition, ApiError>> elected = request.electionType() == PREFERRED
                ? controller.electPreferredLeaders(partitions) : controller.electUncleanLeaders(partitions);
        return elected.handle((answers, failure) -> {
            if (failure == null) {
                return response(answers);
            }
            Map<TopicPartition, ApiError> failed = new LinkedHashMap<>();
            ApiError error = ControllerErrors.toApiError(failure);
            partitions.forEach(p -> failed.put(p, error));
            return response(failed);
        });
    }

    /**
     * Kafka's rule: ALTER on the cluster. Each partition named is refused; a request for all
     * partitions lists none, so as not to show their names.
     */
    private static ElectLeadersResponse unauthorized(short version, ElectLeadersRequest request) {
        ApiError error = ApiError.of(Errors.CLUSTER_AUTHORIZATION_FAILED, "Not authorized to elect leaders");
        Map<TopicPartition, ApiError> refused = new LinkedHashMap<>();
        if (request.topicPartitions() != null) {
            for (ElectLeadersRequest.TopicPartitions topic : request.topicPartitions()) {
                topic.partitions().forEach(p -> refused.put(new TopicPartition(topic.topic(), p), error));
            }
        }
        ElectLeadersResponse response = response(refused);
        // Version 0 has no top-level error.
        return version < 1 ? response : response.setErrorCode(error.error().code());
    }

    private Set<TopicPartition> requested(ElectLeadersRequest request) {
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        if (request.topicPartitions() == null) {
            for (TopicImage topic : controller.image().topicsByName().values()) {
                topic.partitions().keySet().forEach(p -> partitions.add(new TopicPartition(topic.name(), p)));
            }
            return partitions;
        }
        for (ElectLeadersRequest.TopicPartitions topic : request.topicPartitions()) {
            topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.topic(), p)));
        }
        return partitions;
    }

    private static ElectLeadersResponse response(Map<TopicPartition, ApiError> answers) {
        Map<String, List<ElectLeadersResponse.PartitionResult>> byTopic = new LinkedHashMap<>();
        answers.forEach((partition, error) -> byTopic.computeIfAbsent(partition.topic(), t -> new ArrayList<>())
                .add(new ElectLeadersResponse.PartitionResult()
                        .setPartitionId(partition.partition())
                        .setErrorCode(error.error().code())
                        .setErrorMessage(ControllerErrors.wireMessage(error))));
        List<ElectLeadersResponse.ReplicaElectionResult> results = new ArrayList<>();
        byTopic.forEach((topic, partitionResults) -> results.add(new ElectLeadersResponse.ReplicaElectionResult()
                .setTopic(topic).setPartitionResult(partitionResults)));
        return new ElectLeadersResponse().setReplicaElectionResults(results);
    }
}
