package io.gregor.broker.txn;

import io.gregor.broker.client.NodeClient;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.WriteTxnMarkersRequest;
import io.gregor.protocol.message.WriteTxnMarkersResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator's markers in a cluster: partitions led by this broker get theirs
 * from the {@link LocalTransactionMarkerWriter}; the others through a WriteTxnMarkers request to
 * their leader, one per leader. A leader that cannot be reached, or is not known yet, answers
 * NOT_LEADER_OR_FOLLOWER for its partitions, which the coordinator retries.
 *
 * <p>Thread-safe; the answer may complete on a network client's thread.
 */
public final class ClusterTransactionMarkerWriter implements TransactionMarkerWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTransactionMarkerWriter.class);
    private static final short WRITE_TXN_MARKERS_VERSION = 1;

    private final int nodeId;
    private final LocalTransactionMarkerWriter local;
    private final ReplicaManager replicaManager;
    private final QuorumController controller;
    private final BrokerChannels brokers;

    public ClusterTransactionMarkerWriter(int nodeId, LocalTransactionMarkerWriter local,
                                          ReplicaManager replicaManager, QuorumController controller,
                                          BrokerChannels brokers) {
        this.nodeId = nodeId;
        this.local = local;
        this.replicaManager = replicaManager;
        this.controller = controller;
        this.brokers = brokers;
    }

    @Override
    public CompletableFuture<Map<TopicPartition, Errors>> writeMarkers(long producerId, short producerEpoch,
                                                                      int coordinatorEpoch, TransactionResult result,
                                                                      Collection<TopicPartition> partitions) {
        MetadataImage image = controller.image();
        List<TopicPartition> here = new ArrayList<>();
        Map<Integer, List<TopicPartition>> byLeader = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            Optional<Integer> leader = image.topic(tp.topic()).flatMap(topic -> topic.partition(tp.partition()))
                    .map(PartitionImage::leader);
            // Led here, or unknown: the local writer has the answer. A partition merely hosted here
            // is not enough: a follower's replica refuses markers, which only its leader may write.
            if (replicaManager.partition(tp.topic(), tp.partition()).filter(Partition::isLeader).isPresent()
                    || leader.isEmpty() || leader.get() == nodeId) {
                here.add(tp);
            } else {
                byLeader.computeIfAbsent(leader.get(), id -> new ArrayList<>()).add(tp);
            }
        }
        List<CompletableFuture<Map<TopicPartition, Errors>>> answers = new ArrayList<>();
        if (!here.isEmpty()) {
            answers.add(local.writeMarkers(producerId, producerEpoch, coordinatorEpoch, result, here));
        }
        byLeader.forEach((leader, led) -> answers.add(
                remote(leader, producerId, producerEpoch, coordinatorEpoch, result, led)));
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
            answers.forEach(answer -> errors.putAll(answer.join()));
            return errors;
        });
    }

    private CompletableFuture<Map<TopicPartition, Errors>> remote(int leader, long producerId, short producerEpoch,
                                                                 int coordinatorEpoch, TransactionResult result,
                                                                 List<TopicPartition> partitions) {
        Optional<NodeClient> client = leader < 0 ? Optional.empty() : brokers.to(leader);
        if (client.isEmpty()) {
            return CompletableFuture.completedFuture(all(partitions, Errors.NOT_LEADER_OR_FOLLOWER));
        }
        Map<String, WriteTxnMarkersRequest.WritableTxnMarkerTopic> topics = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            topics.computeIfAbsent(tp.topic(), name -> new WriteTxnMarkersRequest.WritableTxnMarkerTopic()
                    .setName(name).setPartitionIndexes(new ArrayList<>())).partitionIndexes().add(tp.partition());
        }
        WriteTxnMarkersRequest request = new WriteTxnMarkersRequest().setMarkers(List.of(
                new WriteTxnMarkersRequest.WritableTxnMarker()
                        .setProducerId(producerId)
                        .setProducerEpoch(producerEpoch)
                        .setTransactionResult(result == TransactionResult.COMMIT)
                        .setCoordinatorEpoch(coordinatorEpoch)
                        .setTopics(new ArrayList<>(topics.values()))));
        return client.get().<WriteTxnMarkersResponse>send(request, WRITE_TXN_MARKERS_VERSION)
                .handle((response, failure) -> {
                    if (failure != null) {
                        LOG.debug("Markers of producer {} to broker {} failed: {}", producerId, leader,
                                failure.toString());
                        return all(partitions, Errors.NOT_LEADER_OR_FOLLOWER);
                    }
                    Map<TopicPartition, Errors> errors = all(partitions, Errors.NOT_LEADER_OR_FOLLOWER);
                    for (WriteTxnMarkersResponse.WritableTxnMarkerResult marker : response.markers()) {
                        for (WriteTxnMarkersResponse.WritableTxnMarkerTopicResult topic : marker.topics()) {
                            for (WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult partition
                                    : topic.partitions()) {
                                TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                                if (errors.containsKey(tp)) {
                                    errors.put(tp, Errors.forCode(partition.errorCode()));
                                }
                            }
                        }
                    }
                    return errors;
                });
    }

    private static Map<TopicPartition, Errors> all(List<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
        partitions.forEach(tp -> errors.put(tp, error));
        return errors;
    }
}
