package io.gregor.broker.api.fetch;

import io.gregor.protocol.message.FetchRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * An incremental fetch session (KIP-227): the partitions one consumer or follower reads from this
 * broker, so that its fetches list only the partitions whose fetch position changed, and the
 * responses only those with news. Its epoch orders the client's requests: each incremental request
 * must carry the epoch the previous one left.
 *
 * <p>Thread safety: the partitions and the epoch are guarded by this object's lock. The cache's
 * bookkeeping fields ({@code lastUsedMs}, {@code accountedSize}) are guarded by the cache's lock;
 * the cache may take this lock while holding its own, never the other way round.
 */
final class FetchSession {
    /** session_epoch of a full fetch that opens a session. */
    static final int INITIAL_EPOCH = 0;
    /** session_epoch of a full fetch that wants no session (and closes the one it names). */
    static final int FINAL_EPOCH = -1;
    /** session_id of a fetch that is in no session, and of a response that opens none. */
    static final int NO_SESSION = 0;

    private final int id;
    private final boolean privileged;
    private final boolean usesTopicIds;
    private final long creationMs;
    private final LinkedHashMap<SessionPartitionKey, CachedPartition> partitions;
    private int epoch = nextEpoch(INITIAL_EPOCH);

    long lastUsedMs;
    /** The size the cache counts this session with; -1 until the cache first counts it. */
    int accountedSize = -1;

    /**
     * @param privileged a follower's session, which only another follower's may evict while new
     * @param partitions the partitions of the full fetch that opened it, with what it was answered
     */
    FetchSession(int id, boolean privileged, boolean usesTopicIds, long creationMs,
                 LinkedHashMap<SessionPartitionKey, CachedPartition> partitions) {
        this.id = id;
        this.privileged = privileged;
        this.usesTopicIds = usesTopicIds;
        this.creationMs = creationMs;
        this.lastUsedMs = creationMs;
        this.partitions = partitions;
    }

    int id() {
        return id;
    }

    boolean privileged() {
        return privileged;
    }

    boolean usesTopicIds() {
        return usesTopicIds;
    }

    long creationMs() {
        return creationMs;
    }

    synchronized int epoch() {
        return epoch;
    }

    synchronized int size() {
        return partitions.size();
    }

    /** The epoch after {@code epoch}: it wraps from Integer.MAX_VALUE to 1, never to 0 or -1. */
    static int nextEpoch(int epoch) {
        if (epoch < 0) {
            return FINAL_EPOCH;
        }
        return epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }

    /**
     * Applies an incremental request carrying the session's current epoch: the partitions it lists
     * are added or take its new fetch position, then those in forgotten_topics_data leave. The
     * epoch moves on, so the request's answer, whether sent or lost, can't be replayed.
     *
     * @return the session's partitions after the request, in the order they joined
     */
    synchronized List<CachedPartition> apply(List<FetchRequest.FetchTopic> topics,
                                             List<FetchRequest.ForgottenTopic> forgotten) {
        for (FetchRequest.FetchTopic topic : topics) {
            for (FetchRequest.FetchPartition partition : topic.partitions()) {
                SessionPartitionKey key = new SessionPartitionKey(topic.topic(), topic.topicId(),
                        partition.partition());
                CachedPartition cached = partitions.get(key);
                if (cached == null) {
                    partitions.put(key, new CachedPartition(topic.topic(), topic.topicId(), partition));
                } else {
                    cached.update(partition);
                }
            }
        }
        for (FetchRequest.ForgottenTopic topic : forgotten) {
            for (int partition : topic.partitions()) {
                partitions.remove(new SessionPartitionKey(topic.topic(), topic.topicId(), partition));
            }
        }
        epoch = nextEpoch(epoch);
        return new ArrayList<>(partitions.values());
    }
}
