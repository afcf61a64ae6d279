package io.gregor.bench.compare;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumer throughput without a consumer group. Kafka's ConsumerPerformance subscribes and so
 * needs a group coordinator, which Gregor does not serve yet; this tool assigns every partition
 * of the topic, reads from the beginning until it has the expected number of records, and
 * prints one line in the same units (MB = 2^20 bytes of record values). Consumer settings are
 * the client's defaults, as ConsumerPerformance leaves them.
 *
 * <p>Usage: {@code AssignedConsumerPerformance BOOTSTRAP TOPIC RECORDS TIMEOUT_MS}
 */
public final class AssignedConsumerPerformance {
    private AssignedConsumerPerformance() {
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        String topic = args[1];
        long expected = Long.parseLong(args[2]);
        long timeoutMs = Long.parseLong(args[3]);

        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-consumer");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);

            long records = 0;
            long bytes = 0;
            long start = System.nanoTime();
            long deadline = start + timeoutMs * 1_000_000;
            while (records < expected && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    records++;
                    bytes += record.serializedValueSize();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (records < expected) {
                System.out.printf("consumed only %d of %d records in %.1f s%n", records, expected, seconds);
                System.exit(1);
            }
            System.out.printf("CONSUMED records=%d bytes=%d seconds=%.3f MB/sec=%.2f records/sec=%.1f%n",
                    records, bytes, seconds, bytes / 1048576.0 / seconds, records / seconds);
        }
    }
}
