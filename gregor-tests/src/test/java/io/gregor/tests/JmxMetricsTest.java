package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's metrics over remote JMX, as an operator's dashboard or a JMX exporter reads them:
 * a broker process started with the JVM's usual remote-JMX options, and Kafka's MBean names and
 * attributes, checked against what real clients produced and consumed.
 */
class JmxMetricsTest {
    private static final int RECORDS = 500;
    private static final int VALUE_BYTES = 200;
    private static final String PLAIN_USERS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "user_alice=\"alice-secret\";";

    @TempDir
    static Path dir;
    static GregorProcess broker;
    static String saslBootstrap;
    static RemoteJmx remoteJmx;
    static MBeanServerConnection jmx;

    @BeforeAll
    static void startBroker() throws Exception {
        List<Integer> ports = PortFinder.freeLoopbackPorts(2);
        saslBootstrap = "127.0.0.1:" + ports.get(1);
        // a SASL listener beside the PLAINTEXT one, for the authentication meters
        broker = new GregorProcess(dir.resolve("data"), ports.get(0), Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",SASL_PLAINTEXT://" + saslBootstrap,
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_USERS));
        remoteJmx = RemoteJmx.on(broker);
        broker.start();
        jmx = remoteJmx.connect();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (remoteJmx != null) {
            remoteJmx.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void recordsAndBytesInAndOutAreCountedPerTopicAndForAll() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("metered", 3, (short) 1)));
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>("metered", "key-" + i, "v".repeat(VALUE_BYTES))).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            List<TopicPartition> partitions = List.of(new TopicPartition("metered", 0),
                    new TopicPartition("metered", 1), new TopicPartition("metered", 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            assertThat(Clients.pollUntil(consumer, RECORDS, Duration.ofSeconds(30))).hasSize(RECORDS);
        }

        ObjectName messagesIn = topicMeter("MessagesInPerSec", "metered");
        ObjectName bytesIn = topicMeter("BytesInPerSec", "metered");
        ObjectName bytesOut = topicMeter("BytesOutPerSec", "metered");
        // a produce is counted once appended, and a fetch once its response is on its way; a topic's
        // MBeans are registered just after its first use, off the network threads
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(count(messagesIn)).isEqualTo(RECORDS);
            assertThat(count(bytesOut)).isGreaterThanOrEqualTo(count(bytesIn));
            // every record was sent alone in a batch of its own, with its key and value
            assertThat(count(bytesIn)).isGreaterThan((long) RECORDS * VALUE_BYTES);
            assertThat(count(topicMeter("TotalProduceRequestsPerSec", "metered"))).isEqualTo(RECORDS);
            assertThat(count(topicMeter("TotalFetchRequestsPerSec", "metered"))).isPositive();
            assertThat(count(topicMeter("FailedProduceRequestsPerSec", "metered"))).isZero();
        });
        assertThat(count(allTopicsMeter("MessagesInPerSec"))).isGreaterThanOrEqualTo(RECORDS);
        assertThat(count(allTopicsMeter("BytesInPerSec"))).isGreaterThanOrEqualTo(count(bytesIn));
        assertThat(count(allTopicsMeter("BytesOutPerSec"))).isGreaterThanOrEqualTo(count(bytesOut));
        // Kafka's meter attributes: rates per second beside the count
        assertThat((Double) jmx.getAttribute(messagesIn, "MeanRate")).isPositive();
        assertThat(jmx.getAttribute(messagesIn, "OneMinuteRate")).isInstanceOf(Double.class);

        // one produce request per record, each answered: RequestsPerSec per version, TotalTimeMs per API
        long produceRequests = jmx.queryNames(new ObjectName(
                        "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,*"), null).stream()
                .mapToLong(JmxMetricsTest::count)
                .sum();
        assertThat(produceRequests).isGreaterThanOrEqualTo(RECORDS);
        ObjectName fetchTime = new ObjectName("kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Fetch");
        assertThat(count(fetchTime)).isPositive();
        assertThat((Double) jmx.getAttribute(fetchTime, "99thPercentile")).isGreaterThanOrEqualTo(0.0);
        assertThat(((Number) jmx.getAttribute(fetchTime, "Max")).doubleValue())
                .isGreaterThanOrEqualTo((Double) jmx.getAttribute(fetchTime, "Mean"));
    }

    @Test
    void refusedBatchesCountAsFailedProducesAndDeletedTopicsLoseTheirMeters() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            NewTopic compacted = new NewTopic("metered-compacted", 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact"));
            Clients.createTopicsAndAwaitLeaders(admin, List.of(compacted));
            try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
                // a compacted topic takes no record without a key: INVALID_RECORD, not retried
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("metered-compacted", null, "v")).get())
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(InvalidRecordException.class);
                producer.send(new ProducerRecord<>("metered-compacted", "k", "v")).get();
            }
            // as in Kafka, the reason is counted for all topics
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(count(allTopicsMeter("NoKeyCompactedTopicRecordsPerSec"))).isPositive());
            ObjectName failed = topicMeter("FailedProduceRequestsPerSec", "metered-compacted");
            ObjectName messagesIn = topicMeter("MessagesInPerSec", "metered-compacted");
            // the topic's MBeans are registered just after its first produce, off the network thread
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(count(failed)).isEqualTo(1);
                assertThat(count(messagesIn)).isEqualTo(1);
                assertThat(count(topicMeter("TotalProduceRequestsPerSec", "metered-compacted"))).isEqualTo(2);
            });

            admin.deleteTopics(List.of("metered-compacted")).all().get();
            Awaitility.await("the deleted topic's meters to go").atMost(Duration.ofSeconds(30))
                    .until(() -> !jmx.isRegistered(messagesIn) && !jmx.isRegistered(failed));
            assertThat(jmx.isRegistered(allTopicsMeter("MessagesInPerSec"))).isTrue();
        }
    }

    @Test
    void aClientWithAQuotaHasKafkasQuotaMBeanWithItsByteRateAndThrottleTime() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("metered-quota", 1, (short) 1)));
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                    new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "jmx-quota")),
                    List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1_000.0))))).all().get();
        }
        // 20 KB in one request against 1,000 bytes/s judged over at least 10 s: throttled
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.CLIENT_ID_CONFIG, "jmx-quota"))) {
            producer.send(new ProducerRecord<>("metered-quota", "v".repeat(20_000))).get();
        }

        // the quota names only the client id, so the MBean has no user, as in Kafka
        ObjectName quota = new ObjectName("kafka.server:type=Produce,client-id=jmx-quota");
        Awaitility.await("the client's quota MBean").atMost(Duration.ofSeconds(10)).until(() -> jmx.isRegistered(quota));
        assertThat((Double) jmx.getAttribute(quota, "byte-rate")).isGreaterThan(0.0);
        assertThat((Double) jmx.getAttribute(quota, "throttle-time")).isGreaterThan(0.0);
    }

    @Test
    void aLongPollingFetchShowsInTheFetchPurgatory() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("metered-idle", 1, (short) 1)));
        }
        ObjectName delayed = new ObjectName(
                "kafka.server:type=DelayedOperationPurgatory,name=NumDelayedOperations,delayedOperation=Fetch");
        ObjectName size = new ObjectName(
                "kafka.server:type=DelayedOperationPurgatory,name=PurgatorySize,delayedOperation=Fetch");
        assertThat(value(delayed)).isZero();
        // a consumer of an empty partition: each of its fetches waits up to 3 s for a record
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 3_000))) {
            consumer.assign(List.of(new TopicPartition("metered-idle", 0)));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            boolean seen = false;
            while (!seen && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
                seen = value(delayed) == 1 && value(size) == 1;
            }
            assertThat(seen).as("the parked fetch in the purgatory's gauges").isTrue();

            // its wait for data is the fetch's remote time, a consumer's, as Kafka's shows it
            ObjectName remoteTime = new ObjectName(
                    "kafka.network:type=RequestMetrics,name=RemoteTimeMs,request=FetchConsumer");
            deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!(jmx.isRegistered(remoteTime) && max(remoteTime) >= 2_000) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
            assertThat(max(remoteTime)).as("the longest remote time of a consumer's fetch").isGreaterThanOrEqualTo(2_000);
            assertThat(max(new ObjectName("kafka.network:type=RequestMetrics,name=LocalTimeMs,request=FetchConsumer")))
                    .isLessThan(2_000);
        }
    }

    @Test
    void aProduceToAnUnknownPartitionOrWithABadCrcCountsItsErrorAndAllRequestsTheirPhases() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("metered-errors", 1, (short) 1)));
        }
        ObjectName unknownPartition = new ObjectName(
                "kafka.network:type=RequestMetrics,name=ErrorsPerSec,request=Produce,error=UNKNOWN_TOPIC_OR_PARTITION");
        ObjectName corrupt = new ObjectName(
                "kafka.network:type=RequestMetrics,name=ErrorsPerSec,request=Produce,error=CORRUPT_MESSAGE");
        ObjectName none = new ObjectName("kafka.network:type=RequestMetrics,name=ErrorsPerSec,request=Produce,error=NONE");
        ObjectName invalidCrc = allTopicsMeter("InvalidMessageCrcRecordsPerSec");
        long unknownBefore = countOrZero(unknownPartition);
        long corruptBefore = countOrZero(corrupt);
        long noneBefore = countOrZero(none);
        long invalidCrcBefore = count(invalidCrc);

        MemoryRecords good = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("k".getBytes(), "v".getBytes()));
        MemoryRecords badCrc = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("k".getBytes(), "v".getBytes()));
        int lastByte = badCrc.buffer().limit() - 1;
        badCrc.buffer().put(lastByte, (byte) (badCrc.buffer().get(lastByte) ^ 0xFF));
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            assertThat(produce(connection, 7, good)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(produce(connection, 0, badCrc)).isEqualTo(Errors.CORRUPT_MESSAGE);
            assertThat(produce(connection, 0, good)).isEqualTo(Errors.NONE);
        }

        // counted as the responses go out; a meter's MBean is registered just after it is made
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(countOrZero(unknownPartition)).isEqualTo(unknownBefore + 1);
            assertThat(countOrZero(corrupt)).isEqualTo(corruptBefore + 1);
            assertThat(countOrZero(none)).isGreaterThanOrEqualTo(noneBefore + 1);
            assertThat(count(invalidCrc)).isEqualTo(invalidCrcBefore + 1);
        });
        // every phase of every produce request, and its size
        for (String phase : List.of("RequestQueueTimeMs", "LocalTimeMs", "RemoteTimeMs", "ResponseQueueTimeMs",
                "ResponseSendTimeMs", "TotalTimeMs", "ThrottleTimeMs", "RequestBytes")) {
            ObjectName histogram = new ObjectName("kafka.network:type=RequestMetrics,name=" + phase + ",request=Produce");
            assertThat(count(histogram)).as(phase).isGreaterThanOrEqualTo(3);
        }
        assertThat(max(new ObjectName("kafka.network:type=RequestMetrics,name=RequestBytes,request=Produce")))
                .isGreaterThanOrEqualTo(good.sizeInBytes());
    }

    @Test
    void connectionsAndAuthenticationsShowInTheSocketServerMetricsPerListener() throws Exception {
        ObjectName plaintext = new ObjectName("kafka.server:type=socket-server-metrics,listener=PLAINTEXT,networkProcessor=*");
        ObjectName sasl = new ObjectName("kafka.server:type=socket-server-metrics,listener=SASL_PLAINTEXT,networkProcessor=*");
        // an MBean per listener and network thread (3 by default), as Kafka's
        assertThat(jmx.queryNames(plaintext, null)).hasSize(3);
        assertThat(jmx.queryNames(sasl, null)).hasSize(3);
        double createdBefore = sum(plaintext, "connection-creation-total");
        double closedBefore = sum(plaintext, "connection-close-total");
        double failedBefore = sum(sasl, "failed-authentication-total");
        double succeededBefore = sum(sasl, "successful-authentication-total");

        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(sum(plaintext, "connection-count")).isPositive();
            assertThat(sum(plaintext, "connection-creation-total")).isGreaterThan(createdBefore);
            assertThat(sum(plaintext, "connection-creation-rate")).isPositive();
            // a PLAINTEXT connection counts as authenticated, as in Kafka
            assertThat(sum(plaintext, "successful-authentication-total")).isPositive();
        }
        Awaitility.await("the admin's connections closed").atMost(Duration.ofSeconds(10))
                .until(() -> sum(plaintext, "connection-close-total") > closedBefore);

        try (Admin wrong = saslAdmin("alice", "guess")) {
            assertThatThrownBy(() -> wrong.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        try (Admin alice = saslAdmin("alice", "alice-secret")) {
            alice.listTopics().names().get(30, TimeUnit.SECONDS);
        }
        // counted just after the answer to the exchange's last message went out
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(sum(sasl, "failed-authentication-total")).isGreaterThan(failedBefore);
            assertThat(sum(sasl, "failed-authentication-rate")).isPositive();
            assertThat(sum(sasl, "successful-authentication-total")).isGreaterThan(succeededBefore);
        });
        assertThat(value(new ObjectName("kafka.network:type=SocketServer,name=ExpiredConnectionsKilledCount"))).isZero();
        // no queued.max.request.bytes: all of it available, as Kafka's pool without a bound
        assertThat(jmx.getAttribute(new ObjectName("kafka.network:type=SocketServer,name=MemoryPoolAvailable"), "Value"))
                .isEqualTo(Long.MAX_VALUE);
    }

    private static Admin saslAdmin(String user, String password) {
        return Clients.admin(saslBootstrap, Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"" + user + "\" password=\"" + password + "\";"));
    }

    /** Sends one batch to a partition of metered-errors with acks=1; returns the partition's error. */
    private static Errors produce(RawConnection connection, int partition, MemoryRecords records) throws Exception {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5_000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("metered-errors");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records));
        data.topicData().add(topic);
        ProduceResponse response = (ProduceResponse) connection.send(
                new ProduceRequest.Builder((short) 9, (short) 9, data).build((short) 9));
        return Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0).errorCode());
    }

    /** An attribute summed over the MBeans the pattern matches: a listener's network threads. */
    private static double sum(ObjectName pattern, String attribute) throws Exception {
        double sum = 0;
        for (ObjectName name : jmx.queryNames(pattern, null)) {
            sum += (Double) jmx.getAttribute(name, attribute);
        }
        return sum;
    }

    private static long countOrZero(ObjectName meter) throws Exception {
        return jmx.isRegistered(meter) ? count(meter) : 0;
    }

    private static double max(ObjectName histogram) throws Exception {
        return ((Number) jmx.getAttribute(histogram, "Max")).doubleValue();
    }

    @Test
    void partitionAndControllerGaugesDescribeTheNode() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("metered-gauges", 4, (short) 1)));
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
            int partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .mapToInt(description -> description.partitions().size())
                    .sum();
            ObjectName partitionCount = new ObjectName("kafka.server:type=ReplicaManager,name=PartitionCount");
            // a single node hosts and leads every partition, all of them in sync
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(value(partitionCount)).isEqualTo(partitions));
            assertThat(value(new ObjectName("kafka.server:type=ReplicaManager,name=LeaderCount")))
                    .isEqualTo(partitions);
            assertThat(value(new ObjectName("kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions")))
                    .isZero();
            assertThat(value(new ObjectName("kafka.controller:type=KafkaController,name=ActiveControllerCount")))
                    .isEqualTo(1);
        }
    }

    @Test
    void idleSharesOfTheNetworkAndIoThreadsAreKafkasSaturationMeters() throws Exception {
        ObjectName handlerIdle = new ObjectName(
                "kafka.server:type=KafkaRequestHandlerPool,name=RequestHandlerAvgIdlePercent");
        // sampled every second; a meter's rates start at its first tick, 5 s after it is made
        Awaitility.await("the first tick").atMost(Duration.ofSeconds(20))
                .until(() -> (Double) jmx.getAttribute(handlerIdle, "OneMinuteRate") > 0);
        // a processor per network thread (num.network.threads, 3 by default), each an idle share
        Set<ObjectName> processors = jmx.queryNames(
                new ObjectName("kafka.network:type=Processor,name=IdlePercent,networkProcessor=*"), null);
        assertThat(processors).hasSize(3);
        for (ObjectName processor : processors) {
            assertThat(doubleValue(processor)).isBetween(0.0, 1.0);
        }
        assertThat(doubleValue(new ObjectName("kafka.network:type=SocketServer,name=NetworkProcessorAvgIdlePercent")))
                .isBetween(0.0, 1.0);
        // the I/O threads of a broker serving no old segments idle nearly all the time; the rate
        // is per nanosecond of idle time, a share as in Kafka
        assertThat((Double) jmx.getAttribute(handlerIdle, "OneMinuteRate")).isBetween(0.5, 1.0);
        assertThat(value(new ObjectName("kafka.network:type=RequestChannel,name=RequestQueueSize"))).isZero();
    }

    @Test
    void aStableGroupWithCommittedOffsetsShowsInTheGroupMetadataGauges() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("metered-group", 2, (short) 1)));
        }
        ObjectName stable = new ObjectName("kafka.coordinator.group:type=GroupMetadataManager,name=NumGroupsStable");
        ObjectName groups = new ObjectName("kafka.coordinator.group:type=GroupMetadataManager,name=NumGroups");
        ObjectName offsets = new ObjectName("kafka.coordinator.group:type=GroupMetadataManager,name=NumOffsets");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, "metered-group-readers"))) {
            consumer.subscribe(List.of("metered-group"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().size() < 2 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
            assertThat(consumer.assignment()).hasSize(2);
            // a position for each partition, so that there is an offset to commit for each
            consumer.assignment().forEach(consumer::position);
            consumer.commitSync();
            // the gauges show a count at most a second old
            Awaitility.await("the group and its two offsets in the gauges").atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> {
                        assertThat(value(stable)).isGreaterThanOrEqualTo(1);
                        assertThat(value(groups)).isGreaterThanOrEqualTo(1);
                        assertThat(value(offsets)).isGreaterThanOrEqualTo(2);
                    });
        }
    }

    private static double doubleValue(ObjectName gauge) throws Exception {
        return ((Number) jmx.getAttribute(gauge, "Value")).doubleValue();
    }

    private static ObjectName topicMeter(String name, String topic) throws Exception {
        return new ObjectName("kafka.server:type=BrokerTopicMetrics,name=" + name + ",topic=" + topic);
    }

    private static ObjectName allTopicsMeter(String name) throws Exception {
        return new ObjectName("kafka.server:type=BrokerTopicMetrics,name=" + name);
    }

    private static long count(ObjectName meter) {
        try {
            return ((Number) jmx.getAttribute(meter, "Count")).longValue();
        } catch (Exception e) {
            throw new AssertionError("Cannot read the count of " + meter, e);
        }
    }

    private static int value(ObjectName gauge) throws Exception {
        return ((Number) jmx.getAttribute(gauge, "Value")).intValue();
    }
}
