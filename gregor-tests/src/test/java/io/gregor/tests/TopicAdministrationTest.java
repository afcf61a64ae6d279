package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topics, partitions and configs managed through the real AdminClient. */
class TopicAdministrationTest {
    @TempDir
    static Path dataDir;
    static GregorBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of());
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void createdTopicIsListedAndDescribedWithItsPartitions() throws Exception {
        // Kafka answers CreateTopics before the leaders have made the logs; so does Gregor.
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("orders", 4, (short) 1)));

        assertThat(admin.listTopics().names().get()).contains("orders");
        TopicDescription description = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
        assertThat(description.partitions()).hasSize(4);
        assertThat(description.topicId().toString()).isNotEqualTo("AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(description.partitions()).allSatisfy(p -> {
            assertThat(p.leader()).isNotNull();
            assertThat(p.replicas()).hasSize(1);
            assertThat(p.isr()).hasSize(1);
        });
    }

    @Test
    void topicConfigsAreStoredDescribedAndAltered() throws Exception {
        NewTopic topic = new NewTopic("configured", 1, (short) 1)
                .configs(Map.of("retention.ms", "60000", "cleanup.policy", "delete"));
        admin.createTopics(List.of(topic)).all().get();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "configured");

        Config config = describe(resource);
        assertThat(config.get("retention.ms").value()).isEqualTo("60000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("segment.bytes").value()).isEqualTo("1073741824");
        assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "120000"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("max.message.bytes", "2000000"), AlterConfigOp.OpType.SET))))
                .all().get();
        config = describe(resource);
        assertThat(config.get("retention.ms").value()).isEqualTo("120000");
        assertThat(config.get("max.message.bytes").value()).isEqualTo("2000000");

        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE))))
                .all().get();
        assertThat(describe(resource).get("retention.ms").value()).isEqualTo("604800000");
    }

    @Test
    void describeConfigsReportsSynonymsAndDocumentation() throws Exception {
        admin.createTopics(List.of(new NewTopic("documented", 1, (short) 1)
                .configs(Map.of("retention.ms", "1000")))).all().get();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "documented");
        Config config = admin.describeConfigs(List.of(resource),
                new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true))
                .all().get().get(resource);

        ConfigEntry retention = config.get("retention.ms");
        assertThat(retention.documentation()).isNotBlank();
        assertThat(retention.synonyms()).extracting(ConfigEntry.ConfigSynonym::name)
                .contains("retention.ms", "log.retention.hours");
    }

    @Test
    void brokerConfigsAreDescribed() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        String nodeId = String.valueOf(cluster.nodes().get().iterator().next().id());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, nodeId);

        Config config = describe(resource);
        assertThat(config.get("num.partitions").value()).isEqualTo("1");
        assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("true");
        assertThat(cluster.clusterId().get()).isNotBlank();
        assertThat(cluster.controller().get()).isNotNull();
    }

    @Test
    void partitionsAreAddedButNeverRemoved() throws Exception {
        admin.createTopics(List.of(new NewTopic("growing", 2, (short) 1))).all().get();

        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5))).all().get();
        assertThat(admin.describeTopics(List.of("growing")).allTopicNames().get().get("growing").partitions())
                .hasSize(5);

        assertThatThrownBy(() -> admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3))).all().get())
                .hasCauseInstanceOf(InvalidPartitionsException.class);
    }

    @Test
    void deletedTopicDisappears() throws Exception {
        admin.createTopics(List.of(new NewTopic("doomed", 2, (short) 1))).all().get();

        admin.deleteTopics(List.of("doomed")).all().get();

        assertThat(admin.listTopics().names().get()).doesNotContain("doomed");
        assertThatThrownBy(() -> admin.describeTopics(List.of("doomed")).allTopicNames().get())
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void validateOnlyCreatesNothing() throws Exception {
        admin.createTopics(List.of(new NewTopic("dry-run", 3, (short) 1)),
                new CreateTopicsOptions().validateOnly(true)).all().get();

        assertThat(admin.listTopics().names().get()).doesNotContain("dry-run");
    }

    @Test
    void invalidTopicRequestsGetTheMatchingKafkaErrors() throws Exception {
        admin.createTopics(List.of(new NewTopic("taken", 1, (short) 1))).all().get();

        assertThatThrownBy(() -> create(new NewTopic("taken", 1, (short) 1)))
                .hasCauseInstanceOf(TopicExistsException.class);
        assertThatThrownBy(() -> create(new NewTopic("bad/name", 1, (short) 1)))
                .hasCauseInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> create(new NewTopic("zero-partitions", 0, (short) 1)))
                .hasCauseInstanceOf(InvalidPartitionsException.class);
        assertThatThrownBy(() -> create(new NewTopic("too-many-replicas", 1, (short) 3)))
                .hasCauseInstanceOf(InvalidReplicationFactorException.class);
        assertThatThrownBy(() -> create(new NewTopic("bad-config", 1, (short) 1)
                .configs(Map.of("retention.ms", "soon"))))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.ms");
        assertThat(admin.listTopics().names().get())
                .doesNotContain("zero-partitions", "too-many-replicas", "bad-config");
    }

    @Test
    void topicsSurviveABrokerRestart() throws Exception {
        admin.createTopics(List.of(new NewTopic("durable-topic", 3, (short) 1)
                .configs(Map.of("retention.bytes", "1048576")))).all().get();
        String id = admin.describeTopics(List.of("durable-topic")).allTopicNames().get()
                .get("durable-topic").topicId().toString();

        broker.restart();

        try (Admin fresh = Clients.admin(broker.bootstrapServers())) {
            TopicDescription description = fresh.describeTopics(List.of("durable-topic"))
                    .allTopicNames().get().get("durable-topic");
            assertThat(description.partitions()).hasSize(3);
            assertThat(description.topicId().toString()).isEqualTo(id);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "durable-topic");
            Collection<ConfigEntry> entries = fresh.describeConfigs(List.of(resource)).all().get()
                    .get(resource).entries();
            assertThat(entries).anySatisfy(e -> {
                assertThat(e.name()).isEqualTo("retention.bytes");
                assertThat(e.value()).isEqualTo("1048576");
            });
        }
        admin.close();
        admin = Clients.admin(broker.bootstrapServers());
    }

    private static void create(NewTopic topic) throws ExecutionException, InterruptedException {
        admin.createTopics(Set.of(topic)).all().get();
    }

    private static Config describe(ConfigResource resource) throws ExecutionException, InterruptedException {
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
}
