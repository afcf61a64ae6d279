package io.gregor.metadata.control;

import io.gregor.metadata.image.InternalTopics;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.image.TopicImage;
import io.gregor.metadata.record.ConfigRecord;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.PartitionRecord;
import io.gregor.metadata.record.RemoveTopicRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.protocol.error.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides topic creation, deletion and partition growth against an image: validates each topic
 * with Kafka's error codes and produces the records that carry out the valid ones. Pure: it reads
 * the image it is given and changes nothing.
 */
final class TopicControl {
    private static final Logger log = LoggerFactory.getLogger(TopicControl.class);
    private static final int INITIAL_EPOCH = 0;
    private static final UUID ZERO_UUID = new UUID(0, 0);

    private final ControllerSettings settings;
    private final ConfigValidation configValidation;
    private final Supplier<UUID> topicIds;

    TopicControl(ControllerSettings settings, Supplier<UUID> topicIds) {
        this.settings = settings;
        this.configValidation = new ConfigValidation(settings.configSchema());
        this.topicIds = topicIds;
    }

    ControllerResult<List<CreateTopicResult>> createTopics(MetadataImage image, List<CreatableTopic> topics) {
        List<MetadataRecord> records = new ArrayList<>();
        List<CreateTopicResult> results = new ArrayList<>();
        Map<String, String> takenCollisionKeys = new HashMap<>();
        image.topicsByName().keySet().forEach(name -> takenCollisionKeys.put(TopicNames.collisionKey(name), name));
        List<Integer> brokers = ReplicaAssignments.placementOrder(image.unfencedBrokers());
        for (CreatableTopic topic : topics) {
            CreateTopicResult result = createTopic(image, topic, brokers, takenCollisionKeys, records);
            results.add(result);
            if (result.error().isSuccess()) {
                takenCollisionKeys.put(TopicNames.collisionKey(topic.name()), topic.name());
            }
        }
        return new ControllerResult<>(records, results);
    }

    private CreateTopicResult createTopic(MetadataImage image, CreatableTopic topic, List<Integer> brokers,
                                          Map<String, String> takenCollisionKeys, List<MetadataRecord> records) {
        String name = topic.name();
        Optional<ApiError> invalidName = TopicNames.validate(name);
        if (invalidName.isPresent()) {
            return CreateTopicResult.failed(name, invalidName.get());
        }
        if (image.topic(name).isPresent() || name.equals(takenCollisionKeys.get(TopicNames.collisionKey(name)))) {
            return CreateTopicResult.failed(name, ApiError.of(Errors.TOPIC_ALREADY_EXISTS,
                    "Topic '" + name + "' already exists."));
        }
        String collidesWith = takenCollisionKeys.get(TopicNames.collisionKey(name));
        if (collidesWith != null) {
            return CreateTopicResult.failed(name, ApiError.of(Errors.INVALID_TOPIC_EXCEPTION,
                    "Topic '" + name + "' collides with existing topic: " + collidesWith));
        }
        Optional<ApiError> invalidConfig = configValidation.validateNewTopicConfigs(topic.configs());
        if (invalidConfig.isPresent()) {
            return CreateTopicResult.failed(name, invalidConfig.get());
        }
        List<List<Integer>> assignments;
        if (!topic.assignments().isEmpty()) {
            if (topic.numPartitions().isPresent() || topic.replicationFactor().isPresent()) {
                return CreateTopicResult.failed(name, ApiError.of(Errors.INVALID_REQUEST,
                        "Both numPartitions or replicationFactor and replicasAssignments were set. "
                                + "Both cannot be used at the same time."));
            }
            Optional<ApiError> invalidAssignment = validateManualAssignments(topic.assignments(), image.brokers().keySet());
            if (invalidAssignment.isPresent()) {
                return CreateTopicResult.failed(name, invalidAssignment.get());
            }
            assignments = new ArrayList<>(new TreeMap<>(topic.assignments()).values());
        } else {
            int numPartitions = topic.numPartitions().orElse(settings.defaultNumPartitions());
            short replicationFactor = topic.replicationFactor().orElse(settings.defaultReplicationFactor());
            if (numPartitions < 1) {
                return CreateTopicResult.failed(name, ApiError.of(Errors.INVALID_PARTITIONS,
                        "Number of partitions was set to an invalid non-positive value."));
            }
            if (replicationFactor < 1) {
                return CreateTopicResult.failed(name, ApiError.of(Errors.INVALID_REPLICATION_FACTOR,
                        "Replication factor must be larger than 0, or -1 to use the default value."));
            }
            if (replicationFactor > brokers.size()) {
                return CreateTopicResult.failed(name, notEnoughBrokers(replicationFactor, brokers.size()));
            }
            assignments = ReplicaPlacement.place(brokers, 0, numPartitions, replicationFactor);
        }
        if (TopicNames.hasCollisionChars(name) && !InternalTopics.isInternal(name)) {
            log.warn("Topic {} contains '.' or '_': metric names of topics differing only there would collide", name);
        }
        UUID topicId = newTopicId(image);
        records.add(new TopicRecord(name, topicId));
        for (int partition = 0; partition < assignments.size(); partition++) {
            records.add(newPartition(topicId, partition, assignments.get(partition)));
        }
        new TreeMap<>(topic.configs()).forEach((key, value) ->
                records.add(new ConfigRecord(ConfigResource.topic(name), key, Optional.of(value))));
        return new CreateTopicResult(name, ApiError.NONE, Optional.of(topicId), assignments.size(),
                (short) assignments.get(0).size());
    }

    ControllerResult<List<DeleteTopicResult>> deleteTopics(MetadataImage image, List<TopicReference> references) {
        List<MetadataRecord> records = new ArrayList<>();
        List<DeleteTopicResult> results = new ArrayList<>();
        Set<UUID> removed = new HashSet<>();
        for (TopicReference reference : references) {
            Optional<TopicImage> topic = reference instanceof TopicReference.ByName byName
                    ? image.topic(byName.name())
                    : image.topic(((TopicReference.ById) reference).id());
            if (topic.isEmpty()) {
                ApiError error = reference instanceof TopicReference.ByName
                        ? ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic.")
                        : ApiError.of(Errors.UNKNOWN_TOPIC_ID, "This server does not host this topic ID.");
                results.add(new DeleteTopicResult(reference, reference.topicName(), reference.topicId(), error));
                continue;
            }
            if (removed.add(topic.get().id())) {
                records.add(new RemoveTopicRecord(topic.get().id()));
            }
            results.add(new DeleteTopicResult(reference, Optional.of(topic.get().name()), Optional.of(topic.get().id()),
                    ApiError.NONE));
        }
        return new ControllerResult<>(records, results);
    }

    ControllerResult<List<PartitionIncreaseResult>> createPartitions(MetadataImage image,
                                                                     List<PartitionIncrease> increases) {
        List<MetadataRecord> records = new ArrayList<>();
        List<PartitionIncreaseResult> results = new ArrayList<>();
        Set<Integer> liveBrokers = image.brokers().keySet();
        List<Integer> placementOrder = ReplicaAssignments.placementOrder(image.unfencedBrokers());
        for (PartitionIncrease increase : increases) {
            ApiError error = createPartitions(image, increase, liveBrokers, placementOrder, records);
            results.add(new PartitionIncreaseResult(increase.topic(), error));
        }
        return new ControllerResult<>(records, results);
    }

    private ApiError createPartitions(MetadataImage image, PartitionIncrease increase, Set<Integer> liveBrokers,
                                      List<Integer> placementOrder, List<MetadataRecord> records) {
        Optional<TopicImage> found = image.topic(increase.topic());
        if (found.isEmpty()) {
            return ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + increase.topic() + "' does not exist.");
        }
        TopicImage topic = found.get();
        int current = topic.partitionCount();
        if (increase.totalCount() < current) {
            return ApiError.of(Errors.INVALID_PARTITIONS, "The topic " + topic.name() + " currently has " + current
                    + " partition(s); " + increase.totalCount() + " would not be an increase.");
        }
        if (increase.totalCount() == current) {
            return ApiError.of(Errors.INVALID_PARTITIONS, "Topic already has " + current + " partition(s).");
        }
        int added = increase.totalCount() - current;
        int replicationFactor = topic.partition(0).map(p -> p.replicas().size()).orElse(1);
        List<List<Integer>> assignments;
        if (increase.newAssignments().isPresent()) {
            assignments = increase.newAssignments().get();
            if (assignments.size() != added) {
                return ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT, "Attempted to add " + added
                        + " additional partition(s), but only " + assignments.size() + " assignment(s) were specified.");
            }
            for (int i = 0; i < assignments.size(); i++) {
                List<Integer> replicas = assignments.get(i);
                Optional<ApiError> invalid = ReplicaAssignments.validate(current + i, replicas, liveBrokers);
                if (invalid.isPresent()) {
                    return invalid.get();
                }
                if (replicas.size() != replicationFactor) {
                    return ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes a "
                            + "partition with " + replicas.size() + " replica(s), but this is not consistent with "
                            + "previous partitions, which have " + replicationFactor + " replica(s).");
                }
            }
        } else {
            if (replicationFactor > placementOrder.size()) {
                return notEnoughBrokers(replicationFactor, placementOrder.size());
            }
            assignments = ReplicaPlacement.place(placementOrder, current, added, replicationFactor);
        }
        for (int i = 0; i < assignments.size(); i++) {
            records.add(newPartition(topic.id(), current + i, assignments.get(i)));
        }
        return ApiError.NONE;
    }

    private static PartitionRecord newPartition(UUID topicId, int partition, List<Integer> replicas) {
        return new PartitionRecord(topicId, partition, replicas, replicas, replicas.get(0), INITIAL_EPOCH,
                INITIAL_EPOCH);
    }

    private static Optional<ApiError> validateManualAssignments(Map<Integer, List<Integer>> byPartition,
                                                                Set<Integer> liveBrokers) {
        for (int partition = 0; partition < byPartition.size(); partition++) {
            List<Integer> replicas = byPartition.get(partition);
            if (replicas == null) {
                return Optional.of(ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT,
                        "Partitions must be numbered consecutively from 0; partition " + partition + " is missing."));
            }
            Optional<ApiError> invalid = ReplicaAssignments.validate(partition, replicas, liveBrokers);
            if (invalid.isPresent()) {
                return invalid;
            }
        }
        return Optional.empty();
    }

    private static ApiError notEnoughBrokers(int replicationFactor, int brokers) {
        return ApiError.of(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition " + replicationFactor
                + " time(s): The target replication factor of " + replicationFactor
                + " cannot be reached because only " + brokers + " broker(s) are registered.");
    }

    /** A random id that is neither the zero UUID (Kafka's "no id") nor in use. */
    private UUID newTopicId(MetadataImage image) {
        while (true) {
            UUID id = topicIds.get();
            if (!id.equals(ZERO_UUID) && image.topic(id).isEmpty()) {
                return id;
            }
        }
    }
}
