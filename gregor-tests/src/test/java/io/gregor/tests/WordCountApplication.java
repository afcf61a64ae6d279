package io.gregor.tests;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The classic Kafka Streams word count: lines in, a running count per word out. Grouping by word
 * makes Streams create a repartition topic and the count a changelog topic, both through the
 * broker's CreateTopics. {@link #main} runs it in a JVM of its own so that a test can SIGKILL it.
 */
public final class WordCountApplication {
    static final String COUNTS_STORE = "word-counts-store";

    private WordCountApplication() {
    }

    static Topology topology(String inputTopic, String outputTopic) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputTopic, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.split(" ")))
                .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.as(COUNTS_STORE))
                .toStream()
                .to(outputTopic, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    /** {@code processingGuarantee} is {@code at_least_once} or {@code exactly_once_v2}. */
    static Properties config(String bootstrap, String applicationId, String processingGuarantee, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // Streams deletes consumed repartition records with DeleteRecords; every 30 s by default.
        props.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, 500);
        // A killed instance leaves its member in the group until the session times out; a short
        // timeout lets the restarted one take over the partitions quickly.
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6_000);
        props.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_000);
        return props;
    }

    /** Arguments: bootstrap servers, application id, processing guarantee, state directory, input topic, output topic. */
    public static void main(String[] args) throws InterruptedException {
        KafkaStreams streams = new KafkaStreams(topology(args[4], args[5]),
                config(args[0], args[1], args[2], Path.of(args[3])));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close();
            stopped.countDown();
        }));
        streams.start();
        stopped.await();
    }
}
