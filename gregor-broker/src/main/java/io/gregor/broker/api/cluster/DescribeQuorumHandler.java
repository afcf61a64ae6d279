package io.gregor.broker.api.cluster;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.quorum.QuorumVoter;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeQuorumRequest;
import io.gregor.protocol.message.DescribeQuorumResponse;
import io.gregor.protocol.wire.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeQuorum, versions 0-2, for the metadata partition {@code __cluster_metadata-0}: the
 * voters of {@code controller.quorum.voters} with their controller listeners, the broker-only
 * nodes that follow the log as observers, the leader (the
 * active controller) and its epoch (the Raft term), and the metadata offset this node has applied
 * as high watermark. Every node answers from what it knows; the log end offsets of other voters
 * are not tracked and reported as -1. A single node (no voters configured) is a quorum of one:
 * the only voter and the leader, in epoch 0, with no controller listener to list.
 * {@code Admin.describeMetadataQuorum} (kafka-metadata-quorum.sh) reads it.
 */
public final class DescribeQuorumHandler implements ApiHandler<DescribeQuorumRequest, DescribeQuorumResponse> {
    private static final String METADATA_TOPIC = "__cluster_metadata";
    private static final long UNKNOWN = -1;

    private final QuorumController controller;
    private final int nodeId;
    private final List<QuorumVoter> voters;
    private final String controllerListenerName;

    /** {@code voters} empty for a single node; {@code controllerListenerName} is then unused. */
    public DescribeQuorumHandler(QuorumController controller, int nodeId, List<QuorumVoter> voters,
                                 String controllerListenerName) {
        this.controller = controller;
        this.nodeId = nodeId;
        this.voters = List.copyOf(voters);
        this.controllerListenerName = controllerListenerName;
    }

    @Override
    public short apiKey() {
        return ApiKey.DESCRIBE_QUORUM.id();
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
    public CompletableFuture<DescribeQuorumResponse> handle(RequestContext context, DescribeQuorumRequest request) {
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(new DescribeQuorumResponse()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        List<DescribeQuorumResponse.TopicData> topics = new ArrayList<>();
        for (DescribeQuorumRequest.TopicData topic : request.topics()) {
            List<DescribeQuorumResponse.PartitionData> partitions = new ArrayList<>();
            for (DescribeQuorumRequest.PartitionData partition : topic.partitions()) {
                boolean known = METADATA_TOPIC.equals(topic.topicName()) && partition.partitionIndex() == 0;
                partitions.add(known ? quorum() : new DescribeQuorumResponse.PartitionData()
                        .setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
            }
            topics.add(new DescribeQuorumResponse.TopicData().setTopicName(topic.topicName()).setPartitions(partitions));
        }
        List<DescribeQuorumResponse.Node> nodes = new ArrayList<>();
        for (QuorumVoter voter : voters) {
            List<DescribeQuorumResponse.Listener> listeners = new ArrayList<>();
            listeners.add(new DescribeQuorumResponse.Listener().setName(controllerListenerName)
                    .setHost(voter.host()).setPort(voter.port()));
            nodes.add(new DescribeQuorumResponse.Node().setNodeId(voter.id()).setListeners(listeners));
        }
        return CompletableFuture.completedFuture(new DescribeQuorumResponse().setTopics(topics).setNodes(nodes));
    }

    private DescribeQuorumResponse.PartitionData quorum() {
        long applied = controller.image().nextOffset();
        List<DescribeQuorumResponse.ReplicaState> states = new ArrayList<>();
        if (voters.isEmpty()) {
            states.add(state(nodeId, applied));
        }
        voters.forEach(voter -> states.add(state(voter.id(), applied)));
        List<DescribeQuorumResponse.ReplicaState> observers = new ArrayList<>();
        controller.quorumObservers().forEach(id -> observers.add(state(id, applied)));
        return new DescribeQuorumResponse.PartitionData()
                .setPartitionIndex(0)
                .setLeaderId(controller.activeControllerId().orElse(voters.isEmpty() ? nodeId : -1))
                .setLeaderEpoch((int) controller.quorumEpoch())
                .setHighWatermark(applied)
                .setCurrentVoters(states)
                .setObservers(observers);
    }

    private DescribeQuorumResponse.ReplicaState state(int replicaId, long applied) {
        return new DescribeQuorumResponse.ReplicaState()
                .setReplicaId(replicaId)
                .setReplicaDirectoryId(WireFormat.ZERO_UUID)
                .setLogEndOffset(replicaId == nodeId ? applied : UNKNOWN)
                .setLastFetchTimestamp(UNKNOWN)
                .setLastCaughtUpTimestamp(UNKNOWN);
    }
}
