package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The group and transaction APIs under the ACL authorizer: the super user {@code admin} may do
 * everything; {@code alice} may only read the topic, so Java clients see Kafka's group and
 * transactional id authorization exceptions. (Produce, Fetch and Metadata are in AuthorizationTest.)
 */
class GroupAndTransactionAuthorizationTest {
    private static final String PLAIN_USERS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "user_admin=\"admin-secret\" user_alice=\"alice-secret\";";
    private static final String TOPIC = "authz-topic";
    /** Apart from {@link #TOPIC}, so that the groups there read exactly the records written first. */
    private static final String TXN_TOPIC = "authz-txn-topic";
    private static final int RECORDS = 100;

    @TempDir
    static Path dir;
    static GregorProcess broker;
    static String bootstrap;

    @BeforeAll
    static void startBroker() throws Exception {
        List<Integer> ports = PortFinder.freeLoopbackPorts(2);
        bootstrap = "127.0.0.1:" + ports.get(1);
        broker = new GregorProcess(dir.resolve("data"), ports.get(0), Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",SASL_PLAINTEXT://127.0.0.1:" + ports.get(1),
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_USERS,
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:admin",
                "allow.everyone.if.no.acl.found", "false")).start();
        try (Admin admin = admin(user("admin"))) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic(TOPIC, 3, (short) 1),
                    new NewTopic(TXN_TOPIC, 1, (short) 1)));
            // alice may read the topic, so what stops her is the group or the transactional id
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                    new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, user("admin"))) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, Integer.toString(i), "v" + i));
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void theSuperUserConsumesInAGroupAndCommits(String protocol) throws Exception {
        String group = "admin-" + protocol;
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, inGroup(user("admin"), group,
                protocol))) {
            consumer.subscribe(List.of(TOPIC));
            assertThat(Clients.pollUntil(consumer, RECORDS, Duration.ofSeconds(60))).hasSize(RECORDS);
            consumer.commitSync();
        }
        try (Admin admin = admin(user("admin"))) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(RECORDS);
            assertThat(groupIds(admin)).contains(group);
        }
    }

    @Test
    void theSuperUsersTransactionCommitsRecordsAndOffsets() throws Exception {
        Map<String, Object> transactional = new HashMap<>(user("admin"));
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "admin-txn");
        TopicPartition partition = new TopicPartition(TXN_TOPIC, 0);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, transactional)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TXN_TOPIC, 0, "txn", "committed"));
            producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(7)),
                    new ConsumerGroupMetadata("admin-txn-group"));
            producer.commitTransaction();
        }
        try (Admin admin = admin(user("admin"))) {
            assertThat(admin.listConsumerGroupOffsets("admin-txn-group").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)).containsEntry(partition, new OffsetAndMetadata(7));
        }
        Map<String, Object> readCommitted = new HashMap<>(user("admin"));
        readCommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, readCommitted)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!values.contains("committed") && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
            assertThat(values).contains("committed");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aUserWithoutAclsMayNotJoinAGroupAndNoGroupIsCreated(String protocol) throws Exception {
        String group = "alice-" + protocol;
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, inGroup(user("alice"), group,
                protocol))) {
            consumer.subscribe(List.of(TOPIC));
            assertThatThrownBy(() -> Clients.pollUntil(consumer, 1, Duration.ofSeconds(60)))
                    .isInstanceOf(GroupAuthorizationException.class);
        }
        try (Admin admin = admin(user("admin"))) {
            assertThat(groupIds(admin)).doesNotContain(group);
        }
    }

    @Test
    void aUserWithoutAclsMayNotUseATransactionalId() {
        Map<String, Object> transactional = new HashMap<>(user("alice"));
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alice-txn");
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, transactional)) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    @Test
    void aUserWithoutAclsSeesNoGroupsAndMayNotDescribeDeleteOrFetchOffsetsOfOne() throws Exception {
        String group = "admin-offsets-group";
        try (Admin admin = admin(user("admin"))) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(TOPIC, 1), new OffsetAndMetadata(3)))
                    .all().get(30, TimeUnit.SECONDS);
            assertThat(groupIds(admin)).contains(group);
        }
        try (Admin alice = admin(user("alice"))) {
            assertThat(alice.listGroups().all().get(30, TimeUnit.SECONDS)).isEmpty();
            assertThatThrownBy(() -> alice.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupAuthorizationException.class);
            assertThatThrownBy(() -> alice.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupAuthorizationException.class);
            assertThatThrownBy(() -> alice.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupAuthorizationException.class);
        }
        try (Admin admin = admin(user("admin"))) {
            assertThat(groupIds(admin)).as("alice's delete did nothing").contains(group);
        }
    }

    @Test
    void aConsumerGroupWithATopicTheUserMayNotDescribeIsNotDescribedToThem() throws Exception {
        String group = "admin-reads-txn-topic";
        try (Admin admin = admin(user("admin"))) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL),
                    new AccessControlEntry("User:alice", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, inGroup(user("admin"), group,
                "consumer"))) {
            consumer.subscribe(List.of(TXN_TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
            assertThat(consumer.assignment()).isNotEmpty();

            try (Admin admin = admin(user("admin"))) {
                assertThat(admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group)
                        .members()).hasSize(1);
            }
            // alice may describe the group but not the topic its member reads, whose name it would tell
            try (Admin alice = admin(user("alice"))) {
                assertThatThrownBy(() -> alice.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void aRegexSubscriptionResolvesOnlyToTopicsTheConsumerMayDescribe() throws Exception {
        String group = "alice-regex";
        try (Admin admin = admin(user("admin"))) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL),
                    new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        // "authz-.*" matches TOPIC, which alice may read, and TXN_TOPIC, which she may not even describe
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, inGroup(user("alice"), group,
                "consumer"))) {
            consumer.subscribe(new SubscriptionPattern("authz-.*"));
            assertThat(Clients.pollUntil(consumer, RECORDS, Duration.ofSeconds(60))).hasSize(RECORDS);
            try (Admin admin = admin(user("admin"))) {
                assertThat(admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group)
                        .members()).singleElement().satisfies(member -> assertThat(member.assignment()
                        .topicPartitions()).extracting(TopicPartition::topic).containsOnly(TOPIC));
            }
        }
    }

    private static List<String> groupIds(Admin admin) throws Exception {
        return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().map(GroupListing::groupId).toList();
    }

    private static Map<String, Object> inGroup(Map<String, Object> security, String group, String protocol) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        return config;
    }

    private static Admin admin(Map<String, Object> security) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.putAll(security);
        return Admin.create(props);
    }

    /** PLAIN credentials of a user of {@link #PLAIN_USERS}: the password is the name with "-secret". */
    private static Map<String, Object> user(String name) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"" + name + "\" password=\"" + name + "-secret\";");
    }
}
