package io.gregor.broker.api.cluster;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ListPartitionReassignmentsRequest;
import io.gregor.protocol.message.ListPartitionReassignmentsResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * ListPartitionReassignments, version 0 ({@code Admin.listPartitionReassignments},
 * {@code kafka-reassign-partitions.sh --list}): the partitions being reassigned, all of them or
 * those asked about, with their replicas and the replicas being added and removed. Answered by
 * the active controller (other nodes forward), so a completion shows as soon as it is committed.
 */
public final class ListPartitionReassignmentsHandler
        implements ApiHandler<ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponse> {
    private final QuorumController controller;

    public ListPartitionReassignmentsHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.LIST_PARTITION_REASSIGNMENTS.id();
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
    public CompletableFuture<ListPartitionReassignmentsResponse> handle(RequestContext context,
                                                                        ListPartitionReassignmentsRequest request) {
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(new ListPartitionReassignmentsResponse()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("Not authorized to list partition reassignments").setTopics(List.of()));
        }
        Optional<Set<TopicPartition>> asked = Optional.empty();
        if (request.topics() != null) {
            Set<TopicPartition> partitions = new HashSet<>();
            for (ListPartitionReassignmentsRequest.ListPartitionReassignmentsTopics topic : request.topics()) {
                topic.partitionIndexes().forEach(p -> partitions.add(new TopicPartition(topic.name(), p)));
            }
            asked = Optional.of(partitions);
        }
        return controller.listPartitionReassignments(asked).handle((ongoing, failure) -> {
            if (failure != null) {
                ApiError error = ControllerErrors.toApiError(failure);
                return new ListPartitionReassignmentsResponse().setErrorCode(error.error().code())
                        .setErrorMessage(error.messageOrDefault()).setTopics(List.of());
            }
            return response(ongoing);
        });
    }

    private static ListPartitionReassignmentsResponse response(Map<TopicPartition, PartitionImage> ongoing) {
        Map<String, List<ListPartitionReassignmentsResponse.OngoingPartitionReassignment>> byTopic =
                new LinkedHashMap<>();
        ongoing.forEach((tp, partition) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new ListPartitionReassignmentsResponse.OngoingPartitionReassignment()
                        .setPartitionIndex(tp.partition())
                        .setReplicas(partition.replicas())
                        .setAddingReplicas(partition.addingReplicas())
                        .setRemovingReplicas(partition.removingReplicas())));
        List<ListPartitionReassignmentsResponse.OngoingTopicReassignment> topics = new ArrayList<>();
        byTopic.forEach((topic, partitions) -> topics.add(new ListPartitionReassignmentsResponse
                .OngoingTopicReassignment().setName(topic).setPartitions(partitions)));
        return new ListPartitionReassignmentsResponse().setTopics(topics);
    }
}
