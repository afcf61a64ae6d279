package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import io.gregor.testkit.GregorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental fetch sessions (KIP-227) with the Java consumer, which uses them by default: the
 * broker's FetchSessionCache MBeans show the consumer's session and its partitions, and the
 * consumer reads every record, in order, while producers write to a few of its many partitions,
 * when its partitions change, when answers to its fetches are lost, and after the broker restarts
 * and the session is gone.
 */
class FetchSessionsTest {
    private static final int PARTITIONS = 100;
    private static final int BUSY_PARTITIONS = 3;
    private static final int RECORDS_PER_BUSY_PARTITION = 500;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static GregorProcess broker;
    static RemoteJmx remoteJmx;
    static MBeanServerConnection jmx;
    static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new GregorProcess(dir.resolve("data"), Map.of());
        remoteJmx = RemoteJmx.on(broker);
        broker.start();
        jmx = remoteJmx.connect();
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (remoteJmx != null) {
            remoteJmx.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aConsumerOfManyPartitionsReadsEverythingInOrderInASessionWhileAFewAreWritten() throws Exception {
        String topic = "wide";
        List<TopicPartition> partitions = createTopic(topic);
        Map<Integer, List<Integer>> sent = new HashMap<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of());
             KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            produce(producer, topic, partitions.size(), 1, sent);
            consumer.assign(partitions);
            Map<Integer, List<Integer>> read = new HashMap<>();
            poll(consumer, countOf(sent), read);
            // caught up on all partitions, the consumer fetches them all in its session
            awaitSession(PARTITIONS);

            CompletableFuture<Void> writing = CompletableFuture.runAsync(() ->
                    produce(producer, topic, BUSY_PARTITIONS, RECORDS_PER_BUSY_PARTITION, sent));
            poll(consumer, PARTITIONS + BUSY_PARTITIONS * RECORDS_PER_BUSY_PARTITION, read);
            writing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(read).isEqualTo(sent); // per partition: each record once, in the order written
            assertThat(sessions()).isEqualTo(1);
        }
    }

    @Test
    void aConsumerWhosePartitionsChangeStillGetsEveryRecord() throws Exception {
        String topic = "moving";
        List<TopicPartition> partitions = createTopic(topic);
        Map<Integer, List<Integer>> sent = new HashMap<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of());
             KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            produce(producer, topic, PARTITIONS, 2, sent);
            Map<Integer, List<Integer>> read = new HashMap<>();
            int quarter = PARTITIONS / 4;
            consumer.assign(partitions.subList(0, 2 * quarter));
            poll(consumer, 2 * quarter * 2, read);
            awaitSession(2 * quarter);

            // the first quarter leaves the session, the second half joins it, and the second quarter reads again
            consumer.assign(partitions.subList(quarter, PARTITIONS));
            consumer.seekToBeginning(partitions.subList(quarter, 2 * quarter));
            poll(consumer, 2 * quarter * 2 + 3 * quarter * 2, read);
            awaitSession(3 * quarter);

            produce(producer, topic, PARTITIONS, 1, sent);
            poll(consumer, 2 * quarter * 2 + 3 * quarter * 2 + 3 * quarter, read);

            Map<Integer, List<Integer>> expected = new HashMap<>();
            sent.forEach((partition, values) -> expected.put(partition, partition < quarter ? values.subList(0, 2)
                    : partition < 2 * quarter ? concat(values.subList(0, 2), values) : values));
            assertThat(read).isEqualTo(expected);
        }
    }

    @Test
    void afterABrokerRestartTheConsumerContinuesInANewSession() throws Exception {
        String topic = "restarted";
        List<TopicPartition> partitions = createTopic(topic);
        Map<Integer, List<Integer>> sent = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
                produce(producer, topic, PARTITIONS, 1, sent);
            }
            consumer.assign(partitions);
            Map<Integer, List<Integer>> read = new HashMap<>();
            poll(consumer, PARTITIONS, read);
            awaitSession(PARTITIONS);

            broker.stop();
            broker.start();
            jmx = remoteJmx.connect();
            try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
                produce(producer, topic, PARTITIONS, 1, sent);
            }
            poll(consumer, 2 * PARTITIONS, read);

            assertThat(read).isEqualTo(sent);
            awaitSession(PARTITIONS);
        }
    }

    @Test
    void aConsumerWhoseFetchAnswersAreLostStartsOverWithAFullFetchAndReadsEveryRecordOnce() throws Exception {
        String topic = "lossy";
        try (ResponseDroppingProxy proxy = new ResponseDroppingProxy(ResponseDroppingProxy.FETCH_API_KEY,
                Set.of(3, 6, 10));
             GregorBroker proxied = GregorBroker.start(dir.resolve("proxied"),
                     Map.of("advertised.listeners", "PLAINTEXT://" + proxy.address()))) {
            proxy.forwardTo(proxied.bootstrapServers());
            List<TopicPartition> partitions;
            try (Admin proxiedAdmin = Clients.admin(proxy.address())) {
                Clients.createTopicsAndAwaitLeaders(proxiedAdmin, List.of(new NewTopic(topic, PARTITIONS, (short) 1)));
                partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
            }
            Map<Integer, List<Integer>> sent = new HashMap<>();
            Map<Integer, List<Integer>> read = new HashMap<>();
            try (KafkaProducer<String, String> producer = Clients.producer(proxy.address(), Map.of());
                 KafkaConsumer<String, String> consumer = Clients.consumer(proxy.address(), Map.of())) {
                consumer.assign(partitions);
                produce(producer, topic, PARTITIONS, 1, sent);
                poll(consumer, countOf(sent), read);
                // long polls of the caught-up consumer, in its session, until three of their answers are lost
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (proxy.droppedResponses() < 3 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(100)).forEach(record -> read.computeIfAbsent(record.partition(),
                            p -> new ArrayList<>()).add(Integer.parseInt(record.value())));
                }
                assertThat(proxy.droppedResponses()).as("fetch answers lost").isEqualTo(3);
                produce(producer, topic, PARTITIONS, 1, sent);
                poll(consumer, countOf(sent), read);
            }
            assertThat(read).isEqualTo(sent);
        }
    }

    private static List<TopicPartition> createTopic(String topic) throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic(topic, PARTITIONS, (short) 1)));
        return IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    /** Writes {@code rounds} records to each of the first {@code partitions} partitions, numbered per partition. */
    private static void produce(KafkaProducer<String, String> producer, String topic, int partitions, int rounds,
                                Map<Integer, List<Integer>> sent) {
        try {
            for (int round = 0; round < rounds; round++) {
                for (int partition = 0; partition < partitions; partition++) {
                    int sequence;
                    synchronized (sent) {
                        List<Integer> values = sent.computeIfAbsent(partition, p -> new ArrayList<>());
                        sequence = values.size();
                        values.add(sequence);
                    }
                    producer.send(new ProducerRecord<>(topic, partition, null, Integer.toString(sequence))).get();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls until {@code total} records were read in all, each added to its partition's list. */
    private static void poll(KafkaConsumer<String, String> consumer, int total, Map<Integer, List<Integer>> read) {
        int already = countOf(read);
        for (ConsumerRecord<String, String> record : Clients.pollUntil(consumer, total - already, TIMEOUT)) {
            read.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(Integer.parseInt(record.value()));
        }
        assertThat(countOf(read)).as("records read").isEqualTo(total);
    }

    private static int countOf(Map<Integer, List<Integer>> records) {
        synchronized (records) {
            return records.values().stream().mapToInt(List::size).sum();
        }
    }

    private static List<Integer> concat(List<Integer> first, List<Integer> second) {
        List<Integer> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Waits until the broker holds one session, the consumer's, with {@code partitions} partitions. */
    private static void awaitSession(int partitions) {
        Awaitility.await("one fetch session of " + partitions + " partitions").atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(sessions()).isEqualTo(1);
            assertThat(gauge("NumIncrementalFetchPartitionsCached")).isEqualTo(partitions);
        });
    }

    private static int sessions() throws Exception {
        return gauge("NumIncrementalFetchSessions");
    }

    private static int gauge(String name) throws Exception {
        return (Integer) jmx.getAttribute(new ObjectName("kafka.server:type=FetchSessionCache,name=" + name), "Value");
    }
}
