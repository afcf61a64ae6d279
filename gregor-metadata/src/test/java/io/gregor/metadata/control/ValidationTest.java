package io.gregor.metadata.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.protocol.error.Errors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every refusal carries Kafka's error code and a message naming what was wrong. */
class ValidationTest {
    private final TopicControl topics = new TopicControl(TestConfigSchema.settings(), UUID::randomUUID);
    private final ConfigControl configs = new ConfigControl(TestConfigSchema.schema());
    private final MetadataImage image = imageWith("existing.topic");

    @Test
    void illegalTopicNamesAreInvalidTopics() {
        assertThat(createError("")).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(createError(".")).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(createError("..")).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(createError("bad/name")).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(createError("x".repeat(250))).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(createError("x".repeat(249))).isEqualTo(Errors.NONE);
        assertThat(createError("Legal-name_with.dots-09")).isEqualTo(Errors.NONE);
        assertThat(create(CreatableTopic.withDefaults("bad/name")).error().messageOrDefault())
                .contains("bad/name", "ASCII alphanumerics");
    }

    @Test
    void existingTopicIsReportedAsAlreadyExisting() {
        CreateTopicResult result = create(CreatableTopic.withDefaults("existing.topic"));
        assertThat(result.error()).isEqualTo(ApiError.of(Errors.TOPIC_ALREADY_EXISTS,
                "Topic 'existing.topic' already exists."));
    }

    @Test
    void namesDifferingOnlyInDotAndUnderscoreCollide() {
        CreateTopicResult result = create(CreatableTopic.withDefaults("existing_topic"));
        assertThat(result.error().error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(result.error().messageOrDefault()).contains("collides with existing topic: existing.topic");
    }

    @Test
    void collisionWithinOneRequestIsRefusedToo() {
        List<CreateTopicResult> results = topics.createTopics(image, List.of(CreatableTopic.withDefaults("a.b"),
                CreatableTopic.withDefaults("a_b"))).response();
        assertThat(results).extracting(r -> r.error().error())
                .containsExactly(Errors.NONE, Errors.INVALID_TOPIC_EXCEPTION);
    }

    @Test
    void nonPositivePartitionCountIsInvalidPartitions() {
        assertThat(create(CreatableTopic.of("t", 0, (short) 1)).error().error()).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(create(CreatableTopic.of("t", -5, (short) 1)).error().error()).isEqualTo(Errors.INVALID_PARTITIONS);
    }

    @Test
    void replicationFactorAboveRegisteredBrokersIsRefused() {
        ApiError error = create(CreatableTopic.of("t", 1, (short) 3)).error();
        assertThat(error.error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(error.messageOrDefault()).contains("only 1 broker(s) are registered");
        assertThat(create(CreatableTopic.of("t", 1, (short) 0)).error().error())
                .isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
    }

    @Test
    void unknownOrInvalidConfigIsInvalidConfigNamingKeyAndValue() {
        ApiError unknown = create(CreatableTopic.withDefaults("t").withConfigs(Map.of("no.such.key", "1"))).error();
        assertThat(unknown).isEqualTo(ApiError.of(Errors.INVALID_CONFIG, "Unknown topic config name: no.such.key"));

        ApiError invalid = create(CreatableTopic.withDefaults("t").withConfigs(Map.of("retention.ms", "soon"))).error();
        assertThat(invalid.error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(invalid.messageOrDefault()).contains("retention.ms", "soon");
    }

    @Test
    void manualAssignmentsMustNameRegisteredBrokersWithoutGapsOrDuplicates() {
        assertThat(createWithAssignments(Map.of(0, List.of(9))).error().error())
                .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(createWithAssignments(Map.of(0, List.of(1, 1))).error().error())
                .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(createWithAssignments(Map.of(1, List.of(1))).error().error())
                .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(create(new CreatableTopic("t", OptionalInt.of(1), Optional.empty(), Map.of(0, List.of(1)),
                Map.of())).error().error()).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void partitionCountMayOnlyGrow() {
        assertThat(increase(PartitionIncrease.to("existing.topic", 1)).error())
                .isEqualTo(ApiError.of(Errors.INVALID_PARTITIONS, "Topic already has 1 partition(s)."));
        MetadataImage grown = imageAfter(image, topics.createPartitions(image, List.of(PartitionIncrease.to("existing.topic", 3))));
        ApiError shrink = topics.createPartitions(grown, List.of(PartitionIncrease.to("existing.topic", 2)))
                .response().get(0).error();
        assertThat(shrink.error()).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(shrink.messageOrDefault()).contains("currently has 3 partition(s); 2 would not be an increase");
        assertThat(increase(PartitionIncrease.to("missing", 2)).error().error())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void addedPartitionAssignmentsAreCheckedAgainstTheCount() {
        ApiError error = increase(new PartitionIncrease("existing.topic", 3, Optional.of(List.of(List.of(1)))))
                .error();
        assertThat(error.error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void incrementalSetDeleteAppendAndSubtract() {
        ConfigResource resource = ConfigResource.topic("existing.topic");
        MetadataImage set = imageAfter(image, configs.incrementalAlterConfigs(image, Map.of(resource, List.of(
                ConfigOperation.set("retention.ms", "10"),
                new ConfigOperation("cleanup.policy", ConfigOperation.Type.APPEND, Optional.of("compact"))))));
        assertThat(set.configs(resource)).containsEntry("retention.ms", "10")
                .containsEntry("cleanup.policy", "delete,compact");

        MetadataImage subtracted = imageAfter(set, configs.incrementalAlterConfigs(set, Map.of(resource, List.of(
                ConfigOperation.delete("retention.ms"),
                new ConfigOperation("cleanup.policy", ConfigOperation.Type.SUBTRACT, Optional.of("delete"))))));
        assertThat(subtracted.configs(resource)).containsOnly(Map.entry("cleanup.policy", "compact"));
    }

    @Test
    void appendToAScalarConfigIsAnInvalidRequest() {
        ApiError error = configs.incrementalAlterConfigs(image, Map.of(ConfigResource.topic("existing.topic"),
                List.of(new ConfigOperation("retention.ms", ConfigOperation.Type.APPEND, Optional.of("1")))))
                .response().values().iterator().next();
        assertThat(error.error()).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void oneBadValueFailsItsWholeResourceButNotOthers() {
        MetadataImage withOther = imageAfter(image, topics.createTopics(image, List.of(CreatableTopic.withDefaults("other"))));
        ControllerResult<Map<ConfigResource, ApiError>> result = configs.incrementalAlterConfigs(withOther, Map.of(
                ConfigResource.topic("existing.topic"), List.of(ConfigOperation.set("retention.ms", "1"),
                        ConfigOperation.set("max.message.bytes", "huge")),
                ConfigResource.topic("other"), List.of(ConfigOperation.set("retention.ms", "2"))));

        assertThat(result.response().get(ConfigResource.topic("existing.topic")).error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(result.response().get(ConfigResource.topic("other"))).isEqualTo(ApiError.NONE);
        assertThat(result.records()).hasSize(1);
    }

    @Test
    void legacyAlterConfigsReplacesTheWholeSet() {
        ConfigResource resource = ConfigResource.topic("existing.topic");
        MetadataImage first = imageAfter(image, configs.alterConfigs(image, Map.of(resource,
                Map.of("retention.ms", "1", "max.message.bytes", "100"))));
        MetadataImage second = imageAfter(first, configs.alterConfigs(first, Map.of(resource, Map.of("retention.ms", "2"))));

        assertThat(second.configs(resource)).containsOnly(Map.entry("retention.ms", "2"));
    }

    @Test
    void configsOfUnknownTopicAreUnknownTopicOrPartition() {
        ApiError error = configs.alterConfigs(image, Map.of(ConfigResource.topic("missing"), Map.of()))
                .response().get(ConfigResource.topic("missing"));
        assertThat(error.error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void deletingABrokerConfigThatIsNotSetChangesNothingEvenIfGregorDoesNotKnowIt() {
        ControllerResult<Map<ConfigResource, ApiError>> result = configs.incrementalAlterConfigs(image,
                Map.of(ConfigResource.broker(1), List.of(ConfigOperation.delete("log.retention.ms"),
                        ConfigOperation.delete("replica.alter.log.dirs.io.max.bytes.per.second"))));

        assertThat(result.response().get(ConfigResource.broker(1))).isEqualTo(ApiError.NONE);
        assertThat(result.records()).isEmpty();
        ApiError topicError = configs.incrementalAlterConfigs(image, Map.of(ConfigResource.topic("existing.topic"),
                List.of(ConfigOperation.delete("no.such.config")))).response().get(ConfigResource.topic("existing.topic"));
        assertThat(topicError.error()).as("unknown topic configs stay refused").isEqualTo(Errors.INVALID_CONFIG);
    }

    @Test
    void aBrokerConfigSetToTheValueItHasIsRecordedSoBrokersReadWhatItNamesAgainButATopicConfigIsNot() {
        ConfigResource broker = ConfigResource.broker(1);
        ConfigResource topic = ConfigResource.topic("existing.topic");
        MetadataImage set = imageAfter(image, configs.incrementalAlterConfigs(image, Map.of(
                broker, List.of(ConfigOperation.set("log.retention.ms", "10")),
                topic, List.of(ConfigOperation.set("retention.ms", "10")))));

        assertThat(configs.incrementalAlterConfigs(set, Map.of(broker, List.of(ConfigOperation.set("log.retention.ms",
                "10")))).records()).as("incremental, a broker's").hasSize(1);
        assertThat(configs.alterConfigs(set, Map.of(broker, Map.of("log.retention.ms", "10"))).records())
                .as("legacy, a broker's").hasSize(1);
        assertThat(configs.incrementalAlterConfigs(set, Map.of(topic, List.of(ConfigOperation.set("retention.ms",
                "10")))).records()).as("a topic's").isEmpty();
    }

    @Test
    void brokerConfigsOutsideTheDynamicSetAreRefused() {
        ApiError error = configs.incrementalAlterConfigs(image, Map.of(ConfigResource.broker(1),
                List.of(ConfigOperation.set("num.network.threads", "4")))).response().get(ConfigResource.broker(1));
        assertThat(error.error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(error.messageOrDefault()).contains("num.network.threads");
    }

    private Errors createError(String name) {
        return create(CreatableTopic.withDefaults(name)).error().error();
    }

    private CreateTopicResult create(CreatableTopic topic) {
        return topics.createTopics(image, List.of(topic)).response().get(0);
    }

    private CreateTopicResult createWithAssignments(Map<Integer, List<Integer>> assignments) {
        return create(new CreatableTopic("t", OptionalInt.empty(), Optional.empty(), assignments, Map.of()));
    }

    private PartitionIncreaseResult increase(PartitionIncrease increase) {
        return topics.createPartitions(image, List.of(increase)).response().get(0);
    }

    private static MetadataImage imageAfter(MetadataImage base, ControllerResult<?> result) {
        MetadataDelta delta = new MetadataDelta(base);
        result.records().forEach(delta::replay);
        return delta.apply();
    }

    private static MetadataImage imageWith(String topic) {
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(new BrokerRegistration(1, List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9092)),
                Optional.empty()).toRecord());
        MetadataImage withBroker = delta.apply();
        return imageAfter(withBroker, new TopicControl(TestConfigSchema.settings(), UUID::randomUUID)
                .createTopics(withBroker, List.of(CreatableTopic.withDefaults(topic))));
    }
}
