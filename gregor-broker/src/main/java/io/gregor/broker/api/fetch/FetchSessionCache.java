package io.gregor.broker.api.fetch;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.metrics.KafkaMetricName;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The broker's incremental fetch sessions (KIP-227), in memory: a restart loses them, and clients
 * then get FETCH_SESSION_ID_NOT_FOUND and start over with a full fetch.
 *
 * <p>It holds at most {@code max.incremental.fetch.session.cache.slots} sessions. When full, a
 * full fetch gets a session only by evicting one, by Kafka's rules: first a session unused for
 * {@link #EVICTION_MS} (stale); otherwise the least valuable evictable one, if the newcomer is
 * worth more: a follower's (privileged) session is worth more than a consumer's, and among equals
 * one with more partitions. A session is evictable by another follower's from its start if it is a
 * consumer's, and by anyone once it is older than {@code EVICTION_MS}, so that a new session is not
 * thrown out by the next client before its owner could use it.
 *
 * <p>Kafka's meters: {@code kafka.server:type=FetchSessionCache,name=NumIncrementalFetchSessions},
 * {@code NumIncrementalFetchPartitionsCached} (gauges) and {@code IncrementalFetchSessionEvictionsPerSec}
 * (meter).
 *
 * <p>Thread safety: every method takes this object's lock, held for map updates only (a request
 * applies its partitions to a session under the session's own lock, outside this one).
 */
public final class FetchSessionCache {
    /** Kafka's fixed min.incremental.fetch.session.eviction.ms, which KIP-227 named but Kafka never made a setting. */
    public static final long EVICTION_MS = 120_000;
    /** Kafka's default max.incremental.fetch.session.cache.slots. */
    public static final int DEFAULT_SLOTS = 1000;

    /** How Kafka ranks sessions for eviction: consumers' before followers', then smaller first. */
    private record EvictableKey(boolean privileged, int size, int id) {
        static final Comparator<EvictableKey> ORDER = Comparator.comparing(EvictableKey::privileged)
                .thenComparingInt(EvictableKey::size).thenComparingInt(EvictableKey::id);
    }

    private record LastUsedKey(long lastUsedMs, int id) {
        static final Comparator<LastUsedKey> ORDER = Comparator.comparingLong(LastUsedKey::lastUsedMs)
                .thenComparingInt(LastUsedKey::id);
    }

    private final int slots;
    private final long evictionMs;
    private final LongSupplier clockMs;
    private final Map<Integer, FetchSession> sessions = new HashMap<>();
    private final TreeMap<LastUsedKey, FetchSession> byLastUse = new TreeMap<>(LastUsedKey.ORDER);
    private final TreeMap<EvictableKey, FetchSession> evictableByAll = new TreeMap<>(EvictableKey.ORDER);
    private final TreeMap<EvictableKey, FetchSession> evictableByPrivileged = new TreeMap<>(EvictableKey.ORDER);
    private final Meter evictions;
    private volatile int sessionCount;
    private volatile int partitionsCached;

    /**
     * @param slots      max.incremental.fetch.session.cache.slots; 0 offers no sessions
     * @param evictionMs how long a session is neither stale nor evictable by a consumer's
     * @param clockMs    the time in milliseconds (injected for tests)
     */
    public FetchSessionCache(int slots, long evictionMs, LongSupplier clockMs, MetricRegistry metrics) {
        this.slots = slots;
        this.evictionMs = evictionMs;
        this.clockMs = clockMs;
        this.evictions = metrics.meter(meterName("IncrementalFetchSessionEvictionsPerSec"));
        metrics.register(meterName("NumIncrementalFetchSessions"), (Gauge<Integer>) () -> sessionCount);
        metrics.register(meterName("NumIncrementalFetchPartitionsCached"), (Gauge<Integer>) () -> partitionsCached);
    }

    private static String meterName(String name) {
        return KafkaMetricName.of("kafka.server", "FetchSessionCache", name);
    }

    synchronized FetchSession get(int id) {
        return sessions.get(id);
    }

    /**
     * Opens a session for a full fetch just answered, if there is a free slot or one may be
     * evicted for it.
     *
     * @param partitions its partitions, with what the answer told the client of them
     * @return the new session's id, or {@link FetchSession#NO_SESSION}
     */
    synchronized int open(boolean privileged, boolean usesTopicIds,
                          LinkedHashMap<SessionPartitionKey, CachedPartition> partitions) {
        long now = clockMs.getAsLong();
        if (sessions.size() >= slots && !evictFor(new EvictableKey(privileged, partitions.size(), 0), now)) {
            return FetchSession.NO_SESSION;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        FetchSession session = new FetchSession(id, privileged, usesTopicIds, now, partitions);
        sessions.put(id, session);
        touch(session);
        return id;
    }

    /** Evicts the stale session, else the least valuable evictable one if {@code newcomer} is worth more. */
    private boolean evictFor(EvictableKey newcomer, long now) {
        Map.Entry<LastUsedKey, FetchSession> leastRecent = byLastUse.firstEntry();
        if (leastRecent == null) {
            return false;
        }
        if (now - leastRecent.getKey().lastUsedMs() > evictionMs) {
            evict(leastRecent.getValue());
            return true;
        }
        Map.Entry<EvictableKey, FetchSession> leastValuable =
                (newcomer.privileged() ? evictableByPrivileged : evictableByAll).firstEntry();
        if (leastValuable == null || EvictableKey.ORDER.compare(newcomer, leastValuable.getKey()) < 0) {
            return false;
        }
        evict(leastValuable.getValue());
        return true;
    }

    private void evict(FetchSession session) {
        remove(session.id());
        evictions.mark();
    }

    /** A request used the session: it is recent again, and its size may have changed. */
    synchronized void touch(FetchSession session) {
        if (sessions.get(session.id()) != session) {
            return;
        }
        long now = clockMs.getAsLong();
        unaccount(session);
        session.lastUsedMs = now;
        session.accountedSize = session.size();
        byLastUse.put(new LastUsedKey(now, session.id()), session);
        EvictableKey key = new EvictableKey(session.privileged(), session.accountedSize, session.id());
        boolean past = now - session.creationMs() > evictionMs;
        if (!session.privileged() || past) {
            evictableByPrivileged.put(key, session);
        }
        if (past) {
            evictableByAll.put(key, session);
        }
        partitionsCached += session.accountedSize;
        sessionCount = sessions.size();
    }

    /** Closes the session, if it is here (a full fetch names the session it replaces). */
    synchronized void remove(int id) {
        FetchSession session = sessions.remove(id);
        if (session != null) {
            unaccount(session);
            sessionCount = sessions.size();
        }
    }

    private void unaccount(FetchSession session) {
        if (session.accountedSize < 0) {
            return;
        }
        byLastUse.remove(new LastUsedKey(session.lastUsedMs, session.id()));
        EvictableKey key = new EvictableKey(session.privileged(), session.accountedSize, session.id());
        evictableByPrivileged.remove(key);
        evictableByAll.remove(key);
        partitionsCached -= session.accountedSize;
        session.accountedSize = -1;
    }
}
