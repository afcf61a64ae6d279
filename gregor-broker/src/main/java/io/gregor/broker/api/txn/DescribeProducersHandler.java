package io.gregor.broker.api.txn;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeProducersRequest;
import io.gregor.protocol.message.DescribeProducersResponse;
import io.gregor.storage.producer.ProducerStateEntry;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeProducers: the producers a partition led here knows, with their epoch, last sequence
 * and timestamp, the epoch of the coordinator that wrote their last marker and the start of
 * their open transaction (-1 for none). A partition of a known topic led elsewhere answers
 * NOT_LEADER_OR_FOLLOWER, an unknown one UNKNOWN_TOPIC_OR_PARTITION, one of a topic the
 * principal may not read TOPIC_AUTHORIZATION_FAILED.
 */
public final class DescribeProducersHandler
        implements ApiHandler<DescribeProducersRequest, DescribeProducersResponse> {
    private static final int NO_SEQUENCE = -1;

    private final ReplicaManager replicaManager;

    public DescribeProducersHandler(ReplicaManager replicaManager) {
        this.replicaManager = replicaManager;
    }

    @Override
    public short apiKey() {
        return ApiKey.DESCRIBE_PRODUCERS.id();
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
    public CompletableFuture<DescribeProducersResponse> handle(RequestContext context,
                                                               DescribeProducersRequest request) {
        DescribeProducersResponse response = new DescribeProducersResponse();
        for (DescribeProducersRequest.TopicRequest topic : request.topics()) {
            DescribeProducersResponse.TopicResponse topicResponse =
                    new DescribeProducersResponse.TopicResponse().setName(topic.name());
            boolean readable = context.authorized(AclOperation.READ, AclResourceType.TOPIC, topic.name());
            for (int index : topic.partitionIndexes()) {
                topicResponse.partitions().add(readable ? describe(topic.name(), index)
                        : new DescribeProducersResponse.PartitionResponse().setPartitionIndex(index)
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private DescribeProducersResponse.PartitionResponse describe(String topic, int index) {
        DescribeProducersResponse.PartitionResponse answer =
                new DescribeProducersResponse.PartitionResponse().setPartitionIndex(index);
        Optional<Partition> partition = replicaManager.partition(topic, index).filter(Partition::isLeader);
        if (partition.isEmpty()) {
            Errors error = replicaManager.notHostedError(new TopicPartition(topic, index));
            return answer.setErrorCode(error.code()).setErrorMessage(error.message());
        }
        for (ProducerStateEntry producer : partition.get().producerStates()) {
            answer.activeProducers().add(new DescribeProducersResponse.ProducerState()
                    .setProducerId(producer.producerId())
                    .setProducerEpoch(producer.epoch())
                    .setLastSequence(producer.lastSeq().orElse(NO_SEQUENCE))
                    .setLastTimestamp(producer.lastTimestamp())
                    .setCoordinatorEpoch(producer.coordinatorEpoch())
                    .setCurrentTxnStartOffset(producer.currentTxnFirstOffset()));
        }
        return answer;
    }
}
