package io.gregor.tests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.config.SaslConfigs;
import org.awaitility.Awaitility;

/** Real kafka-clients producers, consumers and admin clients, configured for tests. */
final class Clients {
    private Clients() {
    }

    /**
     * A SASL_PLAINTEXT client's settings: the mechanism, and Kafka's login module for it (PLAIN's or
     * SCRAM's) with a user name, a password and any further options (such as {@code tokenauth="true"}).
     */
    static Map<String, Object> saslPlaintext(String mechanism, String username, String password, String... options) {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        String jaas = module + " required username=\"" + username + "\" password=\"" + password + "\""
                + (options.length == 0 ? "" : " " + String.join(" ", options)) + ";";
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, mechanism,
                SaslConfigs.SASL_JAAS_CONFIG, jaas);
    }

    static Admin admin(String bootstrap) {
        return admin(bootstrap, Map.of());
    }

    static Admin admin(String bootstrap, Map<String, Object> extra) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.putAll(extra);
        return Admin.create(props);
    }

    /**
     * Creates topics and waits until every partition has a leader that serves it. Kafka, like
     * Gregor, answers CreateTopics once the topic is committed and creates its logs after; Java
     * clients retry what arrives before (NOT_LEADER_OR_FOLLOWER), raw requests do not.
     */
    static void createTopicsAndAwaitLeaders(Admin admin, List<NewTopic> topics) throws Exception {
        admin.createTopics(topics).all().get();
        List<String> names = topics.stream().map(NewTopic::name).toList();
        Awaitility.await("leaders of " + names).atMost(Duration.ofSeconds(30)).until(() ->
                admin.describeTopics(names).allTopicNames().get().values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty()));
    }

    static KafkaProducer<String, String> producer(String bootstrap, Map<String, Object> extra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putAll(extra);
        return new KafkaProducer<>(props);
    }

    static KafkaProducer<byte[], byte[]> bytesProducer(String bootstrap, Map<String, Object> extra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.putAll(extra);
        return new KafkaProducer<>(props);
    }

    /** A consumer without a group: tests assign partitions and seek themselves. */
    static KafkaConsumer<String, String> consumer(String bootstrap, Map<String, Object> extra) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putAll(extra);
        return new KafkaConsumer<>(props);
    }

    static KafkaConsumer<byte[], byte[]> bytesConsumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props);
    }

    /**
     * Polls until {@code expected} records arrived or {@code timeout} passed, and returns what
     * came; the caller asserts on the count, so a shortfall fails with what was read.
     */
    static <K, V> List<ConsumerRecord<K, V>> pollUntil(KafkaConsumer<K, V> consumer, int expected, Duration timeout) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>(expected);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < expected && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }
}
