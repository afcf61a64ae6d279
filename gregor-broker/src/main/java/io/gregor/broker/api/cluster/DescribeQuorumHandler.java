package io.gregor.broker.api.cluster;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.quorum.QuorumVoter;
import io.gregor.metadata.quorum.ReplicaProgress;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeQuorumRequest;
import io.gregor.protocol.message.DescribeQuorumResponse;
import io.gregor.protocol.wire.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeQuorum, versions 0-2, for the metadata partition {@code __cluster_metadata-0}: the
 * voters of {@code controller.quorum.voters} with their controller listeners, the broker-only
 * nodes that follow the log as observers, the leader (the active controller) and its epoch (the
 * Raft term), and the metadata offset this node has applied as high watermark. Brokers forward
 * it to the active controller, as Kafka's do, since only the quorum's leader knows how far the
 * other replicas are: their log end offset is the offset they have committed up to (-1 if the
 * leader does not know), their last fetch when the leader last heard from them, and they count
 * as caught up then if they have everything this node has applied. A single node (no voters
 * configured) is a quorum of one: the only voter and the leader, in epoch 0, with no controller
 * listener to list. {@code Admin.describeMetadataQuorum} (kafka-metadata-quorum.sh) reads it.
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
        long now = System.currentTimeMillis();
        Map<Integer, ReplicaProgress> progress = controller.quorumReplicaProgress();
        List<DescribeQuorumResponse.ReplicaState> states = new ArrayList<>();
        if (voters.isEmpty()) {
            states.add(state(nodeId, applied, now, progress));
        }
        voters.forEach(voter -> states.add(state(voter.id(), applied, now, progress)));
        List<DescribeQuorumResponse.ReplicaState> observers = new ArrayList<>();
        controller.quorumObservers().forEach(id -> observers.add(state(id, applied, now, progress)));
        return new DescribeQuorumResponse.PartitionData()
                .setPartitionIndex(0)
                .setLeaderId(controller.activeControllerId().orElse(voters.isEmpty() ? nodeId : -1))
                .setLeaderEpoch((int) controller.quorumEpoch())
                .setHighWatermark(applied)
                .setCurrentVoters(states)
                .setObservers(observers);
    }

    private DescribeQuorumResponse.ReplicaState state(int replicaId, long applied, long now,
                                                      Map<Integer, ReplicaProgress> progress) {
        DescribeQuorumResponse.ReplicaState state = new DescribeQuorumResponse.ReplicaState()
                .setReplicaId(replicaId)
                .setReplicaDirectoryId(WireFormat.ZERO_UUID);
        if (replicaId == nodeId) {
            // this node is up to date with itself, as Kafka's leader reports itself
            return state.setLogEndOffset(applied).setLastFetchTimestamp(now).setLastCaughtUpTimestamp(now);
        }
        ReplicaProgress replica = progress.getOrDefault(replicaId, new ReplicaProgress(UNKNOWN, UNKNOWN));
        boolean caughtUp = replica.logEndOffset() >= applied && replica.lastFetchTimestamp() != UNKNOWN;
        return state.setLogEndOffset(replica.logEndOffset())
                .setLastFetchTimestamp(replica.lastFetchTimestamp())
                .setLastCaughtUpTimestamp(caughtUp ? replica.lastFetchTimestamp() : UNKNOWN);
    }
}
