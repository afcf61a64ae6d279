package io.gregor.broker.api.meta;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.AuthorizedOperations;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.image.TopicImage;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeTopicPartitionsRequest;
import io.gregor.protocol.message.DescribeTopicPartitionsResponse;
import io.gregor.protocol.message.DescribeTopicPartitionsResponse.Cursor;
import io.gregor.protocol.message.DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponsePartition;
import io.gregor.protocol.message.DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic;
import io.gregor.protocol.wire.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeTopicPartitions (KIP-966), version 0: topics in name order with their partitions, at
 * most {@code min(responsePartitionLimit, 2000)} partitions per response. When the limit cuts the
 * answer short, nextCursor names the topic and partition to continue from, and the client sends
 * the request again with it. Partitions are never split across a retry: a topic cut short appears
 * again from the cursor's partition. Unknown topics are UNKNOWN_TOPIC_OR_PARTITION.
 */
public final class DescribeTopicPartitionsHandler
        implements ApiHandler<DescribeTopicPartitionsRequest, DescribeTopicPartitionsResponse> {
    /** Kafka's default of max.request.partition.size.limit. */
    static final int MAX_PARTITIONS_PER_RESPONSE = 2000;

    private final QuorumController controller;

    public DescribeTopicPartitionsHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.DESCRIBE_TOPIC_PARTITIONS.id();
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
    public CompletableFuture<DescribeTopicPartitionsResponse> handle(RequestContext context,
                                                                     DescribeTopicPartitionsRequest request) {
        MetadataImage image = controller.image();
        NavigableSet<String> names = new TreeSet<>();
        if (request.topics().isEmpty()) {
            names.addAll(image.topicsByName().keySet());
        } else {
            request.topics().forEach(topic -> names.add(topic.name()));
        }
        Optional<DescribeTopicPartitionsRequest.Cursor> cursor = Optional.ofNullable(request.cursor());
        Set<String> remainingNames = cursor.map(c -> (Set<String>) names.tailSet(c.topicName(), true)).orElse(names);
        int budget = Math.max(1, Math.min(request.responsePartitionLimit(), MAX_PARTITIONS_PER_RESPONSE));

        DescribeTopicPartitionsResponse response = new DescribeTopicPartitionsResponse().setNextCursor(null);
        List<DescribeTopicPartitionsResponseTopic> topics = new ArrayList<>();
        Set<Integer> live = image.unfencedBrokers().keySet();
        for (String name : remainingNames) {
            boolean described = context.authorized(AclOperation.DESCRIBE, AclResourceType.TOPIC, name);
            if (!described && request.topics().isEmpty()) {
                continue; // as in Kafka, all topics means all the principal may describe
            }
            if (!described) {
                topics.add(new DescribeTopicPartitionsResponseTopic()
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setName(name)
                        .setTopicId(WireFormat.ZERO_UUID));
                continue;
            }
            Optional<TopicImage> topic = image.topic(name);
            if (topic.isEmpty()) {
                topics.add(new DescribeTopicPartitionsResponseTopic()
                        .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                        .setName(name)
                        .setTopicId(WireFormat.ZERO_UUID));
                continue;
            }
            int first = cursor.filter(c -> c.topicName().equals(name)).map(c -> c.partitionIndex()).orElse(0);
            if (budget == 0) {
                response.setNextCursor(new Cursor().setTopicName(name).setPartitionIndex(first));
                break;
            }
            List<DescribeTopicPartitionsResponsePartition> partitions = new ArrayList<>();
            int next = first;
            for (PartitionImage partition : topic.get().partitions().tailMap(first).values()) {
                if (budget == 0) {
                    break;
                }
                partitions.add(partition(partition, live));
                budget--;
                next = partition.partition() + 1;
            }
            topics.add(new DescribeTopicPartitionsResponseTopic()
                    .setErrorCode(Errors.NONE.code())
                    .setName(name)
                    .setTopicId(topic.get().id())
                    .setTopicAuthorizedOperations(AuthorizedOperations.of(context, AclResourceType.TOPIC, name))
                    .setIsInternal(topic.get().isInternal())
                    .setPartitions(partitions));
            if (topic.get().partitions().containsKey(next) && budget == 0) {
                response.setNextCursor(new Cursor().setTopicName(name).setPartitionIndex(next));
                break;
            }
        }
        return CompletableFuture.completedFuture(response.setTopics(topics));
    }

    private static DescribeTopicPartitionsResponsePartition partition(PartitionImage partition, Set<Integer> live) {
        OptionalInt leader = AdvertisedLeader.of(partition, live);
        return new DescribeTopicPartitionsResponsePartition()
                .setErrorCode((leader.isPresent() ? Errors.NONE : Errors.LEADER_NOT_AVAILABLE).code())
                .setPartitionIndex(partition.partition())
                .setLeaderId(leader.orElse(PartitionImage.NO_LEADER))
                .setLeaderEpoch(partition.leaderEpoch())
                .setReplicaNodes(new ArrayList<>(partition.replicas()))
                .setIsrNodes(new ArrayList<>(partition.isr()))
                .setEligibleLeaderReplicas(new ArrayList<>())
                .setLastKnownElr(new ArrayList<>())
                .setOfflineReplicas(new ArrayList<>(partition.offlineReplicas(live)));
    }
}
