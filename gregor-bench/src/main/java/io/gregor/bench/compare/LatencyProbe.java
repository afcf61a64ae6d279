package io.gregor.bench.compare;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * End-to-end latency at a fixed rate, with microsecond resolution. Kafka's EndToEndLatency
 * keeps one record in flight and prints its percentiles in whole milliseconds, which on
 * loopback are mostly 0 or 1; this probe sends records of the given size at a fixed rate
 * (open loop: a slow broker does not slow the sender) with acks=1 and linger.ms=0, stamps
 * each with System.nanoTime(), and a consumer in the same process (assign(), no group) notes
 * when each arrives.
 *
 * <p>The records of the first {@code WARM_UP_SECONDS} are sent the same way but not counted:
 * for its first ten seconds or so this JVM's own JIT compiler takes most of a core, and on two
 * shared cores the broker's threads then wait for a CPU, so that without a warm-up the tail
 * percentiles measured how long this client took to compile itself rather than the broker.
 *
 * <p>Usage: {@code LatencyProbe BOOTSTRAP TOPIC RECORDS_PER_SECOND WARM_UP_SECONDS SECONDS RECORD_SIZE}
 */
public final class LatencyProbe {
    private LatencyProbe() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        int rate = Integer.parseInt(args[2]);
        int warmUpSeconds = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int recordSize = Integer.parseInt(args[5]);
        int warmUp = rate * warmUpSeconds;
        int total = warmUp + rate * seconds;
        long periodNanos = 1_000_000_000L / rate;

        TopicPartition partition = new TopicPartition(topic, 0);
        long[] latencies = new long[total];
        AtomicBoolean consumerReady = new AtomicBoolean();
        AtomicInteger received = new AtomicInteger();
        Thread consumerThread = new Thread(() -> consume(bootstrap, partition, latencies, received, consumerReady),
                "latency-consumer");
        consumerThread.start();
        while (!consumerReady.get()) {
            Thread.onSpinWait();
        }

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.partitionsFor(topic);
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + i * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                byte[] value = new byte[recordSize];
                ByteBuffer.wrap(value).putInt(i).putLong(System.nanoTime());
                producer.send(new ProducerRecord<>(topic, 0, null, value));
            }
            producer.flush();
        }
        consumerThread.join(Duration.ofSeconds(30).toMillis());
        if (received.get() < total) {
            System.out.printf("received only %d of %d records%n", received.get(), total);
            System.exit(1);
        }
        long[] counted = Arrays.copyOfRange(latencies, warmUp, total);
        Arrays.sort(counted);
        System.out.printf("LATENCY records=%d rate=%d avg_ms=%.3f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f%n",
                counted.length, rate, Arrays.stream(counted).average().orElse(0) / 1e6,
                percentile(counted, 0.50), percentile(counted, 0.99), percentile(counted, 0.999),
                counted[counted.length - 1] / 1e6);
    }

    private static void consume(String bootstrap, TopicPartition partition, long[] latencies, AtomicInteger received,
                                AtomicBoolean ready) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            ready.set(true);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (received.get() < latencies.length && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    ByteBuffer value = ByteBuffer.wrap(record.value());
                    int index = value.getInt();
                    latencies[index] = now - value.getLong();
                    received.incrementAndGet();
                }
            }
        }
    }

    private static double percentile(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
