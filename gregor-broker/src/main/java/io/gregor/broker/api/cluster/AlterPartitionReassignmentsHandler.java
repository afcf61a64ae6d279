package io.gregor.broker.api.cluster;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AlterPartitionReassignmentsRequest;
import io.gregor.protocol.message.AlterPartitionReassignmentsResponse;
import io.gregor.protocol.message.ApiKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * AlterPartitionReassignments, versions 0-1 (what {@code Admin.alterPartitionReassignments} and
 * {@code kafka-reassign-partitions.sh --execute} send): per partition a target replica list, or
 * null to cancel the reassignment in progress. The controller decides
 * ({@code ReassignmentControl}); other nodes forward the request to it. A failure of the whole
 * request (no active controller) is the top-level error, as Kafka answers it.
 */
public final class AlterPartitionReassignmentsHandler
        implements ApiHandler<AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse> {
    private final QuorumController controller;

    public AlterPartitionReassignmentsHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.ALTER_PARTITION_REASSIGNMENTS.id();
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
    public CompletableFuture<AlterPartitionReassignmentsResponse> handle(RequestContext context,
                                                                         AlterPartitionReassignmentsRequest request) {
        if (!context.authorizedOnCluster(AclOperation.ALTER)) {
            return CompletableFuture.completedFuture(failed(ApiError.of(Errors.CLUSTER_AUTHORIZATION_FAILED,
                    "Not authorized to reassign partitions"), request));
        }
        Map<TopicPartition, Optional<List<Integer>>> targets = new LinkedHashMap<>();
        for (AlterPartitionReassignmentsRequest.ReassignableTopic topic : request.topics()) {
            for (AlterPartitionReassignmentsRequest.ReassignablePartition partition : topic.partitions()) {
                targets.put(new TopicPartition(topic.name(), partition.partitionIndex()),
                        Optional.ofNullable(partition.replicas()).map(List::copyOf));
            }
        }
        // Version 0 has no such flag: replication factor changes were always allowed.
        boolean allowReplicationFactorChange = context.apiVersion() < 1 || request.allowReplicationFactorChange();
        return controller.alterPartitionReassignments(targets, allowReplicationFactorChange)
                .handle((answers, failure) -> failure == null ? response(answers, request)
                        : failed(ControllerErrors.toApiError(failure), request));
    }

    private static AlterPartitionReassignmentsResponse response(Map<TopicPartition, ApiError> answers,
                                                                AlterPartitionReassignmentsRequest request) {
        Map<String, List<AlterPartitionReassignmentsResponse.ReassignablePartitionResponse>> byTopic =
                new LinkedHashMap<>();
        answers.forEach((partition, error) -> byTopic.computeIfAbsent(partition.topic(), t -> new ArrayList<>())
                .add(new AlterPartitionReassignmentsResponse.ReassignablePartitionResponse()
                        .setPartitionIndex(partition.partition())
                        .setErrorCode(error.error().code())
                        .setErrorMessage(ControllerErrors.wireMessage(error))));
        List<AlterPartitionReassignmentsResponse.ReassignableTopicResponse> topics = new ArrayList<>();
        byTopic.forEach((topic, partitions) -> topics.add(
                new AlterPartitionReassignmentsResponse.ReassignableTopicResponse()
                        .setName(topic).setPartitions(partitions)));
        return new AlterPartitionReassignmentsResponse()
                .setAllowReplicationFactorChange(request.allowReplicationFactorChange())
                .setResponses(topics);
    }

    private static AlterPartitionReassignmentsResponse failed(ApiError error,
                                                              AlterPartitionReassignmentsRequest request) {
        return new AlterPartitionReassignmentsResponse()
                .setAllowReplicationFactorChange(request.allowReplicationFactorChange())
                .setErrorCode(error.error().code())
                .setErrorMessage(error.messageOrDefault())
                .setResponses(List.of());
    }
}
