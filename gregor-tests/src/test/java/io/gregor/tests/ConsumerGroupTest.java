package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer groups as kafka-clients 4.1 consumers use them, with the classic protocol (the
 * default) and, where the test applies to both, the KIP-848 consumer protocol
 * ({@code group.protocol=consumer}): subscribe, rebalance, commit, resume after a broker
 * restart, eviction of a silent member.
 */
class ConsumerGroupTest {
    private static final int RECORDS = 20_000;
    private static final int MANY_RECORDS = 100_000;
    private static final int PARTITIONS = 4;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;
    static GregorBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "1000",
                "group.consumer.session.timeout.ms", "5000",
                "group.consumer.heartbeat.interval.ms", "500",
                "offsets.topic.num.partitions", "5"));
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"classic", "consumer"})
    void twoGroupsEachReadEveryRecord(String protocol) throws Exception {
        String topic = createTopicWithRecords("two-groups-" + protocol, MANY_RECORDS);

        for (String group : List.of("reader-a-" + protocol, "reader-b-" + protocol)) {
            try (KafkaConsumer<String, String> consumer = groupConsumer(group, protocol(protocol))) {
                consumer.subscribe(List.of(topic));
                List<ConsumerRecord<String, String>> records = Clients.pollUntil(consumer, MANY_RECORDS, READ_TIMEOUT);

                assertThat(values(records)).as("group %s", group).hasSize(MANY_RECORDS);
                assertThat(consumer.assignment()).hasSize(PARTITIONS);
            }
        }
    }

    /**
     * Consumers that commit what they processed after every poll and when partitions are taken
     * from them: each record is processed exactly once while a second and a third consumer join.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"classic", "consumer"})
    void secondAndThirdConsumersSplitThePartitionsWithNoRecordLostOrProcessedTwice(String protocol)
            throws Exception {
        String topic = createTopicWithRecords("three-way-" + protocol, RECORDS);
        String group = "three-way-" + protocol;
        Map<String, Integer> processed = new HashMap<>();
        List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
        AtomicBoolean closing = new AtomicBoolean();
        try {
            for (int joined = 1; joined <= 3; joined++) {
                KafkaConsumer<String, String> consumer = groupConsumer(group, protocol(protocol));
                consumers.add(consumer);
                consumer.subscribe(List.of(topic), committingOnRevocation(consumer, closing));
                int target = joined == 3 ? RECORDS : RECORDS * joined / 4;
                await().atMost(READ_TIMEOUT).until(() -> {
                    for (KafkaConsumer<String, String> each : consumers) {
                        each.poll(Duration.ofMillis(100)).forEach(r -> processed.merge(r.value(), 1, Integer::sum));
                        commitUnlessRebalancing(each);
                    }
                    return processed.size() >= target && consumers.stream().noneMatch(c -> c.assignment().isEmpty());
                });
            }
            Set<TopicPartition> all = new HashSet<>();
            consumers.forEach(c -> assertThat(all.addAll(c.assignment())).isTrue());
            assertThat(all).hasSize(PARTITIONS);
            assertThat(consumers).allSatisfy(c -> assertThat(Collections.disjoint(c.assignment(),
                    consumers.stream().filter(o -> o != c).flatMap(o -> o.assignment().stream()).toList())).isTrue());
        } finally {
            // Everything is processed by now. Closing the first consumer gives its partitions to
            // the others, whose next heartbeat moves their member epoch on; a commit in the close
            // of the next one may go out at the epoch it had and be refused (STALE_MEMBER_EPOCH),
            // as with Apache Kafka, and fail its close. So the consumers close without committing.
            closing.set(true);
            consumers.forEach(KafkaConsumer::close);
        }
        assertThat(processed).hasSize(RECORDS);
        assertThat(processed.entrySet()).filteredOn(e -> e.getValue() > 1).as("processed twice").isEmpty();
    }

    /** Commits the records processed so far before a partition goes to another consumer, unless closing. */
    private static ConsumerRebalanceListener committingOnRevocation(KafkaConsumer<String, String> consumer,
                                                                    AtomicBoolean closing) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty() && !closing.get()) {
                    consumer.commitSync();
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RangeAssignor", "CooperativeStickyAssignor", "RoundRobinAssignor"})
    void secondConsumerSplitsThePartitionsWithoutLosingRecords(String assignor) throws Exception {
        String topic = createTopicWithRecords("split-" + assignor, RECORDS);
        String group = "splitters-" + assignor;
        Map<String, Object> config = Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                "org.apache.kafka.clients.consumer." + assignor);
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, String> first = groupConsumer(group, config);
             KafkaConsumer<String, String> second = groupConsumer(group, config)) {
            first.subscribe(List.of(topic));
            seen.addAll(values(Clients.pollUntil(first, RECORDS / 4, READ_TIMEOUT)));
            first.commitSync();

            second.subscribe(List.of(topic));
            await().atMost(READ_TIMEOUT).until(() -> {
                seen.addAll(values(first.poll(Duration.ofMillis(100))));
                commitUnlessRebalancing(first);
                seen.addAll(values(second.poll(Duration.ofMillis(100))));
                commitUnlessRebalancing(second);
                return seen.size() == RECORDS && !first.assignment().isEmpty() && !second.assignment().isEmpty();
            });

            assertThat(first.assignment()).doesNotContainAnyElementsOf(second.assignment());
            Set<TopicPartition> all = new HashSet<>(first.assignment());
            all.addAll(second.assignment());
            assertThat(all).hasSize(PARTITIONS);
        }
        assertThat(seen).hasSize(RECORDS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"classic", "consumer"})
    void committedOffsetsSurviveABrokerRestart(String protocol) throws Exception {
        String topic = createTopicWithRecords("durable-" + protocol, 1_000);
        String group = "durable-group-" + protocol;
        try (KafkaConsumer<String, String> consumer = groupConsumer(group, protocol(protocol))) {
            consumer.subscribe(List.of(topic));
            assertThat(Clients.pollUntil(consumer, 1_000, READ_TIMEOUT)).hasSize(1_000);
            consumer.commitSync();
        }

        broker.restart();

        Map<TopicPartition, OffsetAndMetadata> committed = await().atMost(READ_TIMEOUT)
                .ignoreExceptions()
                .until(() -> admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(),
                        offsets -> offsets.size() == PARTITIONS);
        ConsumerGroupDescription afterRestart = admin.describeConsumerGroups(List.of(group)).describedGroups()
                .get(group).get();
        assertThat(afterRestart.type()).isEqualTo(GroupType.parse(protocol));
        assertThat(afterRestart.groupState()).isEqualTo(GroupState.EMPTY);
        assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(1_000);
        ConfigResource offsetsTopic = new ConfigResource(ConfigResource.Type.TOPIC, "__consumer_offsets");
        assertThat(admin.describeConfigs(List.of(offsetsTopic)).all().get().get(offsetsTopic)
                .get("cleanup.policy").value()).isEqualTo("compact");

        produce(topic, 10, "after-restart-");
        try (KafkaConsumer<String, String> consumer = groupConsumer(group, protocol(protocol))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> records = Clients.pollUntil(consumer, 10, READ_TIMEOUT);
            assertThat(values(records)).allMatch(v -> v.startsWith("after-restart-")).hasSize(10);
        }
    }

    /**
     * The consumer protocol resolves a {@link SubscriptionPattern} on the broker, also for topics
     * created after the member joined, and runs the assignor the members ask for.
     */
    @Test
    void consumerProtocolSubscribesByRegexOnTheBrokerWithTheAssignorTheMembersChose() throws Exception {
        String group = "regex-readers";
        createTopicWithRecords("regex-first", 10);
        try (KafkaConsumer<String, String> consumer = groupConsumer(group, Map.of(
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer", ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "range"))) {
            consumer.subscribe(new SubscriptionPattern("regex-.*"));
            assertThat(values(Clients.pollUntil(consumer, 10, READ_TIMEOUT))).hasSize(10);

            createTopicWithRecords("regex-second", 10);
            assertThat(values(Clients.pollUntil(consumer, 10, READ_TIMEOUT))).hasSize(10);
            assertThat(consumer.assignment()).extracting(TopicPartition::topic)
                    .containsOnly("regex-first", "regex-second").hasSize(2 * PARTITIONS);
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
                    .get(group).get();
            assertThat(description.partitionAssignor()).isEqualTo("range");
        }
    }

    /**
     * A consumer-protocol member that stays up while the broker restarts carries on as the same
     * member at the same epoch: membership, assignment and epochs were replayed from
     * {@code __consumer_offsets}, so the group does not rebalance.
     */
    @Test
    void consumerProtocolGroupKeepsItsMembersAndEpochAcrossABrokerRestart() throws Exception {
        String topic = createTopicWithRecords("durable-members", 100);
        String group = "durable-members";
        try (KafkaConsumer<String, String> consumer = groupConsumer(group, protocol("consumer"))) {
            consumer.subscribe(List.of(topic));
            assertThat(Clients.pollUntil(consumer, 100, READ_TIMEOUT)).hasSize(100);
            consumer.commitSync();
            ConsumerGroupDescription before = admin.describeConsumerGroups(List.of(group)).describedGroups()
                    .get(group).get();
            String memberId = consumer.groupMetadata().memberId();
            int epoch = consumer.groupMetadata().generationId();

            broker.restart();
            produce(topic, 10, "after-restart-");

            List<ConsumerRecord<String, String>> records = Clients.pollUntil(consumer, 10, READ_TIMEOUT);
            assertThat(values(records)).hasSize(10).allMatch(v -> v.startsWith("after-restart-"));
            consumer.commitSync();
            ConsumerGroupDescription after = admin.describeConsumerGroups(List.of(group)).describedGroups()
                    .get(group).get();
            assertThat(after.groupEpoch()).isEqualTo(before.groupEpoch());
            assertThat(after.members()).singleElement().satisfies(m -> {
                assertThat(m.consumerId()).isEqualTo(memberId);
                assertThat(m.assignment().topicPartitions()).hasSize(PARTITIONS);
            });
            assertThat(consumer.groupMetadata().generationId()).isEqualTo(epoch);
        }
    }

    /**
     * One group id is one kind of group: a classic member cannot join a consumer-protocol group
     * with members (INCONSISTENT_GROUP_PROTOCOL) nor the reverse (GROUP_ID_NOT_FOUND); once
     * empty, the group can change protocol and keeps its committed offsets.
     */
    @Test
    void aGroupWithMembersOfOneProtocolRefusesMembersOfTheOther() throws Exception {
        String topic = createTopicWithRecords("one-protocol", 100);
        String group = "one-protocol";
        try (KafkaConsumer<String, String> modern = groupConsumer(group, protocol("consumer"));
             KafkaConsumer<String, String> classic = groupConsumer(group, protocol("classic"))) {
            modern.subscribe(List.of(topic));
            assertThat(Clients.pollUntil(modern, 100, READ_TIMEOUT)).hasSize(100);
            modern.commitSync();

            classic.subscribe(List.of(topic));
            assertThat(pollUntilFailure(classic)).isInstanceOf(InconsistentGroupProtocolException.class);
        }
        produce(topic, 5, "later-");
        try (KafkaConsumer<String, String> classic = groupConsumer(group, protocol("classic"));
             KafkaConsumer<String, String> modern = groupConsumer(group, protocol("consumer"))) {
            classic.subscribe(List.of(topic));
            assertThat(values(Clients.pollUntil(classic, 5, READ_TIMEOUT))).as("resumed from the commits")
                    .hasSize(5).allMatch(v -> v.startsWith("later-"));

            modern.subscribe(List.of(topic));
            assertThat(pollUntilFailure(modern)).isInstanceOf(GroupIdNotFoundException.class);
        }
    }

    /** Polls until the consumer fails, as an application's poll loop would see it. */
    private static KafkaException pollUntilFailure(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                consumer.poll(Duration.ofMillis(100));
            } catch (KafkaException e) {
                return e;
            }
        }
        throw new AssertionError("poll did not fail within " + READ_TIMEOUT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"classic", "consumer"})
    void commitWithAStaleGenerationIsRejected(String protocol) throws Exception {
        String topic = createTopicWithRecords("stale-" + protocol, 100);
        String group = "stale-group-" + protocol;
        try (KafkaConsumer<String, String> first = groupConsumer(group, protocol(protocol));
             KafkaConsumer<String, String> second = groupConsumer(group, protocol(protocol))) {
            first.subscribe(List.of(topic));
            await().atMost(READ_TIMEOUT).until(() -> {
                first.poll(Duration.ofMillis(100));
                return first.assignment().size() == PARTITIONS;
            });
            String memberId = first.groupMetadata().memberId();
            int staleGeneration = first.groupMetadata().generationId();

            second.subscribe(List.of(topic));
            await().atMost(READ_TIMEOUT).until(() -> {
                first.poll(Duration.ofMillis(100));
                second.poll(Duration.ofMillis(100));
                return !second.assignment().isEmpty() && first.groupMetadata().generationId() > staleGeneration;
            });

            OffsetCommitResponseData response = commitRaw(group, memberId, staleGeneration,
                    new TopicPartition(topic, 0), 1);
            Errors expected = protocol.equals("classic") ? Errors.ILLEGAL_GENERATION : Errors.STALE_MEMBER_EPOCH;
            assertThat(response.topics().get(0).partitions().get(0).errorCode()).isEqualTo(expected.code());
        }
    }

    /**
     * A member in another JVM is SIGKILLed: it sends no LeaveGroup. The consumer protocol's
     * session is the broker's {@code group.consumer.session.timeout.ms} (5 s here), the classic
     * one the member's {@code session.timeout.ms} (3 s).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"classic", "consumer"})
    void consumerKilledWithoutLeavingIsEvictedAndItsPartitionsMove(String protocol) throws Exception {
        String topic = createTopicWithRecords("eviction-" + protocol, 100);
        String group = "evicting-" + protocol;
        Map<String, Object> shortSession = protocol.equals("classic") ? Map.of(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 3_000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500) : protocol(protocol);
        try (KafkaConsumer<String, String> survivor = groupConsumer(group, shortSession)) {
            survivor.subscribe(List.of(topic));
            Process killed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-cp", System.getProperty("java.class.path"), GroupMemberProcess.class.getName(),
                    broker.bootstrapServers(), group, topic, protocol)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Set<String> before;
            try {
                await().atMost(READ_TIMEOUT).until(() -> {
                    survivor.poll(Duration.ofMillis(100));
                    return !survivor.assignment().isEmpty() && survivor.assignment().size() < PARTITIONS
                            && memberIds(group).size() == 2;
                });
                before = memberIds(group);
            } finally {
                killed.destroyForcibly();
                assertThat(killed.waitFor(30, TimeUnit.SECONDS)).as("killed member exited").isTrue();
            }
            assertThat(memberIds(group)).as("still a member until its session ends").isEqualTo(before);

            await().atMost(READ_TIMEOUT).until(() -> {
                survivor.poll(Duration.ofMillis(100));
                return survivor.assignment().size() == PARTITIONS;
            });
            assertThat(memberIds(group)).containsExactly(survivor.groupMetadata().memberId());
        }
    }

    /**
     * The restarted member gets its partitions back at the same generation (classic) or member
     * epoch (consumer protocol, where a closing static member leaves with epoch -2), and the
     * other member sees no rebalance.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"classic", "consumer"})
    void staticMemberRestartedWithinItsSessionKeepsItsPartitionsWithoutARebalance(String protocol) throws Exception {
        String topic = createTopicWithRecords("static-" + protocol, 100);
        String group = "statics-" + protocol;
        try (KafkaConsumer<String, String> other = groupConsumer(group, staticMember("other", protocol))) {
            KafkaConsumer<String, String> restarting = groupConsumer(group, staticMember("restarting", protocol));
            restarting.subscribe(List.of(topic));
            other.subscribe(List.of(topic));
            await().atMost(READ_TIMEOUT).until(() -> {
                restarting.poll(Duration.ofMillis(100));
                other.poll(Duration.ofMillis(100));
                return restarting.assignment().size() + other.assignment().size() == PARTITIONS
                        && !restarting.assignment().isEmpty() && !other.assignment().isEmpty()
                        && restarting.groupMetadata().generationId() == other.groupMetadata().generationId();
            });
            Set<TopicPartition> assignment = Set.copyOf(restarting.assignment());
            int generation = other.groupMetadata().generationId();
            restarting.close();

            try (KafkaConsumer<String, String> restarted = groupConsumer(group, staticMember("restarting", protocol))) {
                restarted.subscribe(List.of(topic));
                await().atMost(READ_TIMEOUT).until(() -> {
                    restarted.poll(Duration.ofMillis(100));
                    other.poll(Duration.ofMillis(100));
                    return !restarted.assignment().isEmpty();
                });

                assertThat(restarted.assignment()).isEqualTo(assignment);
                assertThat(restarted.groupMetadata().generationId()).isEqualTo(generation);
                assertThat(other.groupMetadata().generationId()).isEqualTo(generation);
            }
        }
    }

    @Test
    void kcatBalancedConsumerSharesAGroupWithAJavaConsumer() throws Exception {
        String topic = createTopicWithRecords("mixed", 100);
        try (KafkaConsumer<String, String> java = groupConsumer("mixed-group", Map.of())) {
            java.subscribe(List.of(topic));
            await().atMost(READ_TIMEOUT).until(() -> {
                java.poll(Duration.ofMillis(100));
                return java.assignment().size() == PARTITIONS;
            });

            Process kcat = new ProcessBuilder("kcat", "-b", broker.bootstrapServers(), "-G", "mixed-group",
                    "-X", "auto.offset.reset=earliest", "-q", topic)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                await().atMost(READ_TIMEOUT).until(() -> {
                    java.poll(Duration.ofMillis(100));
                    return !java.assignment().isEmpty() && java.assignment().size() < PARTITIONS;
                });
                assertThat(admin.describeConsumerGroups(List.of("mixed-group")).describedGroups().get("mixed-group")
                        .get().members()).hasSize(2).anySatisfy(m -> assertThat(m.clientId()).isEqualTo("rdkafka"));
            } finally {
                kcat.destroy();
                kcat.waitFor();
            }
            await().atMost(READ_TIMEOUT).until(() -> {
                java.poll(Duration.ofMillis(100));
                return java.assignment().size() == PARTITIONS;
            });
        }
    }

    private static Map<String, Object> staticMember(String instanceId, String protocol) {
        return protocol.equals("classic")
                ? Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                        30_000)
                : Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId, ConsumerConfig.GROUP_PROTOCOL_CONFIG,
                        protocol);
    }

    @Test
    void deletingATopicDropsItsCommittedOffsets() throws Exception {
        String topic = createTopicWithRecords("doomed", 10);
        try (KafkaConsumer<String, String> consumer = groupConsumer("doomed-readers", Map.of())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(5)));
        }
        assertThat(admin.listConsumerGroupOffsets("doomed-readers").partitionsToOffsetAndMetadata().get()).hasSize(1);

        admin.deleteTopics(List.of(topic)).all().get();

        await().atMost(READ_TIMEOUT).until(() ->
                admin.listConsumerGroupOffsets("doomed-readers").partitionsToOffsetAndMetadata().get().isEmpty());
    }

    @Test
    void emptyGroupIsListedDescribedAndDeleted() throws Exception {
        String topic = createTopicWithRecords("admin-view", 10);
        try (KafkaConsumer<String, String> consumer = groupConsumer("described", Map.of())) {
            consumer.subscribe(List.of(topic));
            Clients.pollUntil(consumer, 10, READ_TIMEOUT);
            consumer.commitSync();
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of("described"))
                    .describedGroups().get("described").get();
            assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(description.partitionAssignor()).isNotEmpty();
            assertThat(description.members()).singleElement()
                    .satisfies(m -> assertThat(m.assignment().topicPartitions()).hasSize(PARTITIONS));
        }

        assertThat(admin.listGroups().all().get()).anySatisfy(listing -> {
            assertThat(listing.groupId()).isEqualTo("described");
            assertThat(listing.groupState()).contains(GroupState.EMPTY);
        });
        admin.deleteConsumerGroups(List.of("described")).all().get();
        assertThat(admin.listGroups().all().get()).noneMatch(listing -> listing.groupId().equals("described"));
    }

    @Test
    void listGroupsFiltersByStateAndType() throws Exception {
        String topic = createTopicWithRecords("listed", 10);
        TopicPartition first = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> classic = groupConsumer("listed-classic", protocol("classic"));
             KafkaConsumer<String, String> modern = groupConsumer("listed-consumer", protocol("consumer"));
             KafkaConsumer<String, String> assigned = groupConsumer("listed-empty", Map.of())) {
            assigned.assign(List.of(first));
            assigned.commitSync(Map.of(first, new OffsetAndMetadata(1)));
            classic.subscribe(List.of(topic));
            modern.subscribe(List.of(topic));
            await().atMost(READ_TIMEOUT).until(() -> {
                classic.poll(Duration.ofMillis(100));
                modern.poll(Duration.ofMillis(100));
                return classic.assignment().size() == PARTITIONS && modern.assignment().size() == PARTITIONS
                        && listedIds(new ListGroupsOptions().inGroupStates(Set.of(GroupState.STABLE)))
                        .containsAll(Set.of("listed-classic", "listed-consumer"));
            });

            assertThat(listedIds(new ListGroupsOptions().inGroupStates(Set.of(GroupState.STABLE))))
                    .doesNotContain("listed-empty");
            assertThat(listedIds(new ListGroupsOptions().inGroupStates(Set.of(GroupState.EMPTY))))
                    .contains("listed-empty").doesNotContain("listed-classic", "listed-consumer");
            assertThat(listedIds(new ListGroupsOptions().withTypes(Set.of(GroupType.CONSUMER))))
                    .contains("listed-consumer").doesNotContain("listed-classic", "listed-empty");
            assertThat(listedIds(new ListGroupsOptions().withTypes(Set.of(GroupType.CLASSIC))))
                    .contains("listed-classic", "listed-empty").doesNotContain("listed-consumer");
        }
    }

    private static Set<String> listedIds(ListGroupsOptions options) throws Exception {
        return admin.listGroups(options).all().get().stream().map(GroupListing::groupId).collect(Collectors.toSet());
    }

    /**
     * A cooperative consumer cannot commit while its incremental rebalance is under way; it
     * commits on a later poll, as applications do. Partitions are committed before they are
     * revoked ({@link #committingOnRevocation}), so nothing is processed twice.
     */
    private static void commitUnlessRebalancing(KafkaConsumer<String, String> consumer) {
        try {
            consumer.commitSync();
        } catch (RebalanceInProgressException e) {
            // The next round commits.
        } catch (CommitFailedException e) {
            // The consumer protocol's member epoch moved on while the commit was under way
            // (STALE_MEMBER_EPOCH); as with Apache Kafka, the next round commits with the new one.
            assertThat(e.getMessage()).contains("stale member epoch");
        }
    }

    private static Set<String> memberIds(String group) throws ExecutionException, InterruptedException {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members().stream()
                .map(MemberDescription::consumerId).collect(Collectors.toSet());
    }

    private static OffsetCommitResponseData commitRaw(String group, String memberId, int generation,
                                                      TopicPartition partition, long offset) throws Exception {
        OffsetCommitRequestData data = new OffsetCommitRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation)
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName(partition.topic())
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(partition.partition())
                                .setCommittedOffset(offset)))));
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            OffsetCommitResponse response = (OffsetCommitResponse) connection.send(
                    OffsetCommitRequest.Builder.forTopicNames(data).build((short) 9));
            return response.data();
        }
    }

    private static Map<String, Object> protocol(String protocol) {
        return Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
    }

    private static KafkaConsumer<String, String> groupConsumer(String group, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        return Clients.consumer(broker.bootstrapServers(), config);
    }

    private static String createTopicWithRecords(String topic, int count) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        produce(topic, count, "value-");
        return topic;
    }

    private static void produce(String topic, int count, String prefix) {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            IntStream.range(0, count).forEach(i ->
                    producer.send(new ProducerRecord<>(topic, "key-" + i, prefix + i)));
            producer.flush();
        }
    }

    private static Set<String> values(Iterable<ConsumerRecord<String, String>> records) {
        Set<String> values = new HashSet<>();
        records.forEach(r -> values.add(r.value()));
        return values;
    }
}
