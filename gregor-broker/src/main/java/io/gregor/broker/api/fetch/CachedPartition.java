package io.gregor.broker.api.fetch;

import io.gregor.protocol.message.FetchRequest;
import java.util.UUID;

/**
 * A partition of a fetch session: what the client last asked of it (fetch offset, limits, leader
 * epoch), which it repeats only when that changes, and what the last response that carried the
 * partition told it, which decides whether the next incremental response must carry it again.
 *
 * <p>Thread safety: the request is replaced while its session's lock is held, when a request is
 * applied; the sent state is written when a response goes out and read by the readings of the
 * next fetch, which may run on another thread, so both are volatile.
 */
final class CachedPartition {
    /** A high watermark no partition has: a partition with it is sent in the next response. */
    static final long UNKNOWN = -1;

    private final String topic;
    private final UUID topicId;
    private volatile FetchRequest.FetchPartition request;
    private volatile long highWatermark = UNKNOWN;
    private volatile long logStartOffset = UNKNOWN;

    /** A partition just added to a session: the next response carries it, whatever it reads. */
    CachedPartition(String topic, UUID topicId, FetchRequest.FetchPartition request) {
        this.topic = topic;
        this.topicId = topicId;
        this.request = request;
    }

    String topic() {
        return topic;
    }

    UUID topicId() {
        return topicId;
    }

    FetchRequest.FetchPartition request() {
        return request;
    }

    void update(FetchRequest.FetchPartition request) {
        this.request = request;
    }

    /**
     * Whether an incremental response must carry this reading of the partition, as Kafka decides:
     * it has records, an error, a preferred read replica, or a high watermark or log start offset
     * other than the client last got. A change of the last stable offset alone is not sent (nor by
     * Kafka): it comes with the records or markers that moved it.
     */
    boolean hasNews(long recordBytes, short errorCode, long highWatermark, long logStartOffset,
                    boolean preferredReadReplica) {
        return recordBytes > 0 || errorCode != 0 || preferredReadReplica
                || highWatermark != this.highWatermark || logStartOffset != this.logStartOffset;
    }

    /**
     * A response carrying the partition is going out. After an error the high watermark is
     * forgotten, so that the partition is sent again once the error is gone.
     */
    void sent(short errorCode, long highWatermark, long logStartOffset) {
        this.highWatermark = errorCode == 0 ? highWatermark : UNKNOWN;
        this.logStartOffset = logStartOffset;
    }
}
