package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The one-line form in which the scripts of other clients (src/test/node, src/test/python) print
 * each record they read: {@code fetched partition=P offset=O key=K value=V timestamp=T headers=H},
 * with headers as {@code name:value} joined by commas. The same line built from what the Java
 * client reads lets a test compare the two views exactly.
 */
final class RecordLines {
    static final String PREFIX = "fetched ";

    private RecordLines() {
    }

    static String line(ConsumerRecord<String, String> record) {
        String headers = StreamSupport.stream(record.headers().spliterator(), false)
                .map(h -> h.key() + ":" + new String(h.value(), StandardCharsets.UTF_8))
                .reduce((a, b) -> a + "," + b)
                .orElse("");
        return PREFIX + "partition=" + record.partition() + " offset=" + record.offset() + " key=" + record.key()
                + " value=" + record.value() + " timestamp=" + record.timestamp() + " headers=" + headers;
    }

    /** The lines of a child's output that describe records, in the order printed. */
    static List<String> printedBy(ChildProcess.Result result) {
        return result.lines().stream().filter(l -> l.startsWith(PREFIX)).toList();
    }

    /**
     * Everything in partitions 0 to {@code partitions - 1} of {@code topic}, read by the Java client
     * (assign, no group), as lines ordered by partition and offset.
     */
    static List<String> readByJavaClient(String bootstrap, String topic, int partitions, int expected) {
        List<TopicPartition> assigned = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of())) {
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            List<ConsumerRecord<String, String>> records = Clients.pollUntil(consumer, expected, Duration.ofSeconds(30));
            assertThat(records).as("records read back by the Java client").hasSize(expected);
            return records.stream()
                    .sorted(Comparator.<ConsumerRecord<String, String>>comparingInt(ConsumerRecord::partition)
                            .thenComparingLong(ConsumerRecord::offset))
                    .map(RecordLines::line)
                    .toList();
        }
    }
}
