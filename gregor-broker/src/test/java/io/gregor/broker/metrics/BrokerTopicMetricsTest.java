package io.gregor.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.gregor.storage.log.BatchDefect;
import org.junit.jupiter.api.Test;

class BrokerTopicMetricsTest {
    private final MetricRegistry registry = new MetricRegistry();
    private final BrokerTopicMetrics metrics = new BrokerTopicMetrics(registry);

    @Test
    void appendsCountPerTopicAndForAllTopics() {
        metrics.produceRequest("a");
        metrics.appended("a", 10, 1_000);
        metrics.produceRequest("b");
        metrics.appended("b", 5, 300);

        assertThat(count("MessagesInPerSec,topic=a")).isEqualTo(10);
        assertThat(count("BytesInPerSec,topic=a")).isEqualTo(1_000);
        assertThat(count("TotalProduceRequestsPerSec,topic=b")).isEqualTo(1);
        assertThat(count("MessagesInPerSec")).isEqualTo(15);
        assertThat(count("BytesInPerSec")).isEqualTo(1_300);
        assertThat(count("TotalProduceRequestsPerSec")).isEqualTo(2);
    }

    @Test
    void consumerFetchesAreBytesOutAndFollowerFetchesReplication() {
        metrics.fetched("a", 4_096, false);
        metrics.fetched("a", 0, false);
        metrics.fetched("a", 1_024, true);
        metrics.replicationBytesIn(512);

        assertThat(count("BytesOutPerSec,topic=a")).isEqualTo(4_096);
        assertThat(count("BytesOutPerSec")).isEqualTo(4_096);
        assertThat(count("TotalFetchRequestsPerSec,topic=a")).isEqualTo(3);
        assertThat(count("ReplicationBytesOutPerSec")).isEqualTo(1_024);
        assertThat(count("ReplicationBytesInPerSec")).isEqualTo(512);
    }

    @Test
    void refusedBatchesCountInTheMeterOfTheirDefectAndOversizedOnesTheirBytes() {
        metrics.refused("a", BatchDefect.CRC, 100);
        metrics.refused("a", BatchDefect.MAGIC, 100);
        metrics.refused("a", BatchDefect.OFFSETS, 100);
        metrics.refused("a", BatchDefect.NO_KEY_ON_COMPACTED_TOPIC, 100);
        metrics.refused("a", BatchDefect.NO_KEY_ON_COMPACTED_TOPIC, 100);
        metrics.refused("a", BatchDefect.TOO_LARGE, 2_000_000);

        assertThat(count("InvalidMessageCrcRecordsPerSec")).isEqualTo(1);
        assertThat(count("InvalidMagicNumberRecordsPerSec")).isEqualTo(1);
        assertThat(count("InvalidOffsetOrSequenceRecordsPerSec")).isEqualTo(1);
        assertThat(count("NoKeyCompactedTopicRecordsPerSec")).isEqualTo(2);
        assertThat(count("BytesRejectedPerSec")).isEqualTo(2_000_000);
        assertThat(count("BytesRejectedPerSec,topic=a")).isEqualTo(2_000_000);
        // Gregor never converts batches, and says so as Kafka's dashboards expect
        assertThat(count("ProduceMessageConversionsPerSec")).isZero();
        assertThat(count("FetchMessageConversionsPerSec")).isZero();
    }

    @Test
    void failedFetchesCountPerTopicAndForAll() {
        metrics.failedFetchRequest("a");

        assertThat(count("FailedFetchRequestsPerSec,topic=a")).isEqualTo(1);
        assertThat(count("FailedFetchRequestsPerSec")).isEqualTo(1);
    }

    @Test
    void aDeletedTopicLosesItsMetersButTheTotalsStay() {
        metrics.appended("gone", 3, 300);
        metrics.failedProduceRequest("gone");
        assertThat(registry.getNames()).contains(name("FailedProduceRequestsPerSec,topic=gone"));

        metrics.removeTopic("gone");

        assertThat(registry.getNames()).noneMatch(name -> name.contains("topic=gone"));
        assertThat(count("MessagesInPerSec")).isEqualTo(3);
        assertThat(count("FailedProduceRequestsPerSec")).isEqualTo(1);
        // used again (a topic of the same name made anew): counted from zero
        metrics.appended("gone", 1, 100);
        assertThat(count("MessagesInPerSec,topic=gone")).isEqualTo(1);
    }

    private long count(String nameAndTags) {
        return registry.getMeters().get(name(nameAndTags)).getCount();
    }

    private static String name(String nameAndTags) {
        return "kafka.server:type=BrokerTopicMetrics,name=" + nameAndTags;
    }
}
