package io.gregor.broker.metrics;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.gregor.storage.log.BatchDefect;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kafka's {@code kafka.server:type=BrokerTopicMetrics} meters: records and bytes in and out,
 * and produce and fetch requests, for all topics together and per topic ({@code topic=...}).
 *
 * <p>As in Kafka, bytes in and out are those of clients: what followers fetch from this broker
 * and what it appends as a follower count as replication instead (all topics only), and a
 * topic's meters appear when it is first used here and go when it is deleted. Records and bytes
 * in are counted once appended, so a batch refused or seen before (an idempotent producer's
 * retry) counts only as a request.
 *
 * <p>Refused batches: as in Kafka, one larger than max.message.bytes counts its bytes in
 * {@code BytesRejectedPerSec} (per topic too), and the other reasons Kafka meters count once per
 * refused append in meters for all topics only ({@code InvalidMessageCrcRecordsPerSec},
 * {@code InvalidMagicNumberRecordsPerSec}, {@code InvalidOffsetOrSequenceRecordsPerSec},
 * {@code NoKeyCompactedTopicRecordsPerSec}). {@code ProduceMessageConversionsPerSec} and
 * {@code FetchMessageConversionsPerSec} are there for the dashboards that read them and stay at 0:
 * Gregor stores and serves magic 2 batches as they came and refuses others, so it never converts.
 *
 * <p>Thread-safety: called from the network and I/O threads at once; meters are thread-safe and
 * the per-topic map is concurrent.
 */
public final class BrokerTopicMetrics {
    private static final String DOMAIN = "kafka.server";
    private static final String TYPE = "BrokerTopicMetrics";

    private final MetricRegistry registry;
    private final TopicMeters allTopics;
    private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final Meter replicationBytesIn;
    private final Meter replicationBytesOut;
    private final Meter invalidCrc;
    private final Meter invalidMagic;
    private final Meter invalidOffsets;
    private final Meter noKeyCompacted;

    public BrokerTopicMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.allTopics = new TopicMeters(registry);
        this.replicationBytesIn = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, "ReplicationBytesInPerSec"));
        this.replicationBytesOut = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, "ReplicationBytesOutPerSec"));
        this.invalidCrc = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, "InvalidMessageCrcRecordsPerSec"));
        this.invalidMagic = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, "InvalidMagicNumberRecordsPerSec"));
        this.invalidOffsets = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, "InvalidOffsetOrSequenceRecordsPerSec"));
        this.noKeyCompacted = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, "NoKeyCompactedTopicRecordsPerSec"));
        registry.meter(KafkaMetricName.of(DOMAIN, TYPE, "ProduceMessageConversionsPerSec"));
        registry.meter(KafkaMetricName.of(DOMAIN, TYPE, "FetchMessageConversionsPerSec"));
    }

    /** A produce request's batches for one partition of {@code topic}, whatever becomes of them. */
    public void produceRequest(String topic) {
        allTopics.totalProduceRequests.mark();
        topic(topic).totalProduceRequests.mark();
    }

    /** Batches for {@code topic} that failed for a reason other than those a client is expected to meet. */
    public void failedProduceRequest(String topic) {
        allTopics.failedProduceRequests.mark();
        topic(topic).failedProduceRequests.mark();
    }

    /** An append of {@code bytes} bytes of batches to a partition of {@code topic} was refused for {@code defect}. */
    public void refused(String topic, BatchDefect defect, long bytes) {
        switch (defect) {
            case CRC -> invalidCrc.mark();
            case MAGIC -> invalidMagic.mark();
            case OFFSETS -> invalidOffsets.mark();
            case NO_KEY_ON_COMPACTED_TOPIC -> noKeyCompacted.mark();
            case TOO_LARGE -> {
                allTopics.bytesRejected.mark(bytes);
                topic(topic).bytesRejected.mark(bytes);
            }
        }
    }

    /**
     * A fetch of a partition of {@code topic} failed for a reason a client is not expected to meet,
     * as Kafka counts them (not a leader change, an unknown partition or an offset out of range).
     */
    public void failedFetchRequest(String topic) {
        allTopics.failedFetchRequests.mark();
        topic(topic).failedFetchRequests.mark();
    }

    /** {@code records} records in {@code bytes} bytes of batches appended to a partition this broker leads. */
    public void appended(String topic, long records, long bytes) {
        TopicMeters meters = topic(topic);
        allTopics.messagesIn.mark(records);
        meters.messagesIn.mark(records);
        allTopics.bytesIn.mark(bytes);
        meters.bytesIn.mark(bytes);
    }

    /**
     * A fetch of one partition of {@code topic} is answered with {@code bytes} bytes of records:
     * a consumer's count as bytes out, a follower's as replication.
     */
    public void fetched(String topic, long bytes, boolean follower) {
        TopicMeters meters = topic(topic);
        allTopics.totalFetchRequests.mark();
        meters.totalFetchRequests.mark();
        if (bytes == 0) {
            return;
        }
        if (follower) {
            replicationBytesOut.mark(bytes);
        } else {
            allTopics.bytesOut.mark(bytes);
            meters.bytesOut.mark(bytes);
        }
    }

    /** Bytes of records this broker appended as a follower. */
    public void replicationBytesIn(long bytes) {
        replicationBytesIn.mark(bytes);
    }

    /** The topic is gone: so are its meters, as in Kafka. */
    public void removeTopic(String topic) {
        if (topics.remove(topic) != null) {
            for (String name : TopicMeters.NAMES) {
                registry.remove(KafkaMetricName.of(DOMAIN, TYPE, name, "topic", topic));
            }
        }
    }

    private TopicMeters topic(String topic) {
        TopicMeters meters = topics.get(topic);
        return meters != null ? meters
                : topics.computeIfAbsent(topic, name -> new TopicMeters(registry, "topic", name));
    }

    private static final class TopicMeters {
        static final String[] NAMES = {"MessagesInPerSec", "BytesInPerSec", "BytesOutPerSec",
            "TotalProduceRequestsPerSec", "TotalFetchRequestsPerSec", "FailedProduceRequestsPerSec",
            "FailedFetchRequestsPerSec", "BytesRejectedPerSec"};

        final Meter messagesIn;
        final Meter bytesIn;
        final Meter bytesOut;
        final Meter totalProduceRequests;
        final Meter totalFetchRequests;
        final Meter failedProduceRequests;
        final Meter failedFetchRequests;
        final Meter bytesRejected;

        TopicMeters(MetricRegistry registry, String... tags) {
            messagesIn = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, NAMES[0], tags));
            bytesIn = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, NAMES[1], tags));
            bytesOut = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, NAMES[2], tags));
            totalProduceRequests = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, NAMES[3], tags));
            totalFetchRequests = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, NAMES[4], tags));
            failedProduceRequests = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, NAMES[5], tags));
            failedFetchRequests = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, NAMES[6], tags));
            bytesRejected = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, NAMES[7], tags));
        }
    }
}
