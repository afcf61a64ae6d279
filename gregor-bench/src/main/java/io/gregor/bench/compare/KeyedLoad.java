package io.gregor.bench.compare;

import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Fills one partition with keyed records for the compaction phase: record {@code i} has key
 * {@code key-<i mod KEYS>} and a value of pseudo-random bytes (fixed seed, so both brokers get
 * byte-for-byte the same data; random, so compression cannot hide the volume). Kafka's
 * ProducerPerformance sends no keys, and a compacted log is only interesting with them.
 *
 * <p>Usage: {@code KeyedLoad BOOTSTRAP TOPIC RECORDS KEYS VALUE_SIZE}; prints
 * {@code PRODUCED records=N bytes=B} once every record is acknowledged.
 */
public final class KeyedLoad {
    private KeyedLoad() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long records = Long.parseLong(args[2]);
        int keys = Integer.parseInt(args[3]);
        int valueSize = Integer.parseInt(args[4]);

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(Workload.BATCH_SIZE));
        props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(Workload.LINGER_MS));
        Random random = new Random(42);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < records && failure.get() == null; i++) {
                byte[] key = String.format("key-%07d", i % keys).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                byte[] value = new byte[valueSize];
                random.nextBytes(value);
                bytes += key.length + value.length;
                producer.send(new ProducerRecord<>(topic, 0, key, value), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            System.out.println("send failed: " + failure.get());
            System.exit(1);
        }
        System.out.printf("PRODUCED records=%d bytes=%d%n", records, bytes);
    }
}
