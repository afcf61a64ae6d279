package io.gregor.broker.api.cluster;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AlterPartitionRequest;
import io.gregor.protocol.message.AlterPartitionResponse;
import io.gregor.protocol.message.ApiKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * AlterPartition, versions 2-3, served by the active controller: partition leaders ask for ISR
 * changes. Each partition is checked and committed on its own by
 * {@link QuorumController#alterPartition}; its answer is the partition's new state or the error
 * the leader acts on. A node that is not the active controller answers NOT_CONTROLLER as a whole.
 */
public final class AlterPartitionHandler implements ApiHandler<AlterPartitionRequest, AlterPartitionResponse> {
    private static final short FIRST_VERSION_WITH_BROKER_EPOCHS = 3;

    private final QuorumController controller;

    public AlterPartitionHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.ALTER_PARTITION.id();
    }

    @Override
    public short minVersion() {
        return 2;
    }

    @Override
    public short maxVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<AlterPartitionResponse> handle(RequestContext context, AlterPartitionRequest request) {
        // Only partition leaders, nodes of the cluster, send these: Kafka's rule, CLUSTER_ACTION on the cluster.
        if (!context.authorizedOnCluster(AclOperation.CLUSTER_ACTION)) {
            return CompletableFuture.completedFuture(new AlterPartitionResponse()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        if (!controller.isActive()) {
            return CompletableFuture.completedFuture(new AlterPartitionResponse()
                    .setErrorCode(Errors.NOT_CONTROLLER.code()));
        }
        List<AlterPartitionResponse.TopicData> topics = new ArrayList<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (AlterPartitionRequest.TopicData topic : request.topics()) {
            List<AlterPartitionResponse.PartitionData> partitions = new ArrayList<>();
            topics.add(new AlterPartitionResponse.TopicData().setTopicId(topic.topicId()).setPartitions(partitions));
            for (AlterPartitionRequest.PartitionData partition : topic.partitions()) {
                AlterPartitionResponse.PartitionData answer = new AlterPartitionResponse.PartitionData()
                        .setPartitionIndex(partition.partitionIndex());
                partitions.add(answer);
                pending.add(controller.alterPartition(topic.topicId(), partition.partitionIndex(), request.brokerId(),
                        partition.leaderEpoch(), partition.partitionEpoch(), newIsr(context.apiVersion(), partition))
                        .handle((state, failure) -> fill(answer, state, failure)));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(done -> new AlterPartitionResponse().setTopics(topics));
    }

    private static List<Integer> newIsr(short version, AlterPartitionRequest.PartitionData partition) {
        if (version >= FIRST_VERSION_WITH_BROKER_EPOCHS) {
            return partition.newIsrWithEpochs().stream().map(AlterPartitionRequest.BrokerState::brokerId).toList();
        }
        return List.copyOf(partition.newIsr());
    }

    private static Void fill(AlterPartitionResponse.PartitionData answer, PartitionImage state, Throwable failure) {
        if (failure != null) {
            answer.setErrorCode(ControllerErrors.toApiError(failure).error().code());
            return null;
        }
        answer.setLeaderId(state.leader())
                .setLeaderEpoch(state.leaderEpoch())
                .setIsr(new ArrayList<>(state.isr()))
                .setPartitionEpoch(state.partitionEpoch());
        return null;
    }
}
