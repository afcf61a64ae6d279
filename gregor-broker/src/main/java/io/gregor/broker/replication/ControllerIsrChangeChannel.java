package io.gregor.broker.replication;

import io.gregor.broker.cluster.ControllerChannel;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AlterPartitionRequest;
import io.gregor.protocol.message.AlterPartitionResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ISR changes to the active controller of a cluster: a call on the local controller when this
 * node is the active one, an AlterPartition request (v2) to it otherwise. A request the
 * controller refused fails the future with its error code; so does a lost connection, after
 * which the leader proposes again at its next ISR check.
 */
public final class ControllerIsrChangeChannel implements IsrChangeChannel {
    private static final short ALTER_PARTITION_VERSION = 2;

    private final ControllerChannel channel;
    private final QuorumController controller;

    public ControllerIsrChangeChannel(ControllerChannel channel, QuorumController controller) {
        this.channel = channel;
        this.controller = controller;
    }

    @Override
    public CompletableFuture<CommittedIsr> alterPartition(IsrChange change) {
        if (channel.isLocal()) {
            return controller.alterPartition(change.topicId(), change.partition(), change.leaderId(),
                    change.leaderEpoch(), change.partitionEpoch(), change.newIsr())
                    .thenApply(ControllerIsrChangeChannel::committed);
        }
        AlterPartitionRequest request = new AlterPartitionRequest()
                .setBrokerId(change.leaderId())
                .setTopics(List.of(new AlterPartitionRequest.TopicData()
                        .setTopicId(change.topicId())
                        .setPartitions(List.of(new AlterPartitionRequest.PartitionData()
                                .setPartitionIndex(change.partition())
                                .setLeaderEpoch(change.leaderEpoch())
                                .setPartitionEpoch(change.partitionEpoch())
                                .setNewIsr(new ArrayList<>(change.newIsr()))))));
        return channel.<AlterPartitionResponse>send(request, ALTER_PARTITION_VERSION)
                .thenApply(response -> answer(response, change));
    }

    private static CommittedIsr committed(PartitionImage partition) {
        return new CommittedIsr(partition.leader(), partition.leaderEpoch(), partition.isr(),
                partition.partitionEpoch());
    }

    private static CommittedIsr answer(AlterPartitionResponse response, IsrChange change) {
        Errors error = Errors.forCode(response.errorCode());
        if (error != Errors.NONE) {
            throw new ApiException(error, "AlterPartition refused: " + error);
        }
        for (AlterPartitionResponse.TopicData topic : response.topics()) {
            for (AlterPartitionResponse.PartitionData partition : topic.partitions()) {
                Errors partitionError = Errors.forCode(partition.errorCode());
                if (partitionError != Errors.NONE) {
                    throw new ApiException(partitionError, "AlterPartition of partition " + change.partition()
                            + " refused: " + partitionError);
                }
                return new CommittedIsr(partition.leaderId(), partition.leaderEpoch(), partition.isr(),
                        partition.partitionEpoch());
            }
        }
        throw new ApiException(Errors.UNKNOWN_SERVER_ERROR, "AlterPartition answered without the partition");
    }
}
