package io.gregor.broker.api.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.FetchRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FetchSessionCacheTest {
    private static final short BY_NAME = 12;
    private static final short BY_ID = 13;
    private static final long EVICTION_MS = 1000;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final MetricRegistry metrics = new MetricRegistry();

    private FetchSessionCache cache(int slots) {
        return new FetchSessionCache(slots, EVICTION_MS, now::get, metrics);
    }

    @Test
    void aFullFetchWithEpochZeroOpensASessionWithARandomIdThatIsNeverZero() {
        FetchSessionCache cache = cache(10);
        SessionContext context = SessionContext.of(cache, full(0, 0, topic("t", 0, 1)), BY_NAME, false);

        SessionContext.Opening opening = assertInstanceOf(SessionContext.Opening.class, context);
        int first = open(opening, "t", 0, 1);
        int second = open(opening, "t", 0, 1);

        assertNotEquals(FetchSession.NO_SESSION, first);
        assertNotEquals(first, second);
        assertEquals(1, cache.get(first).epoch(), "the first incremental fetch carries epoch 1");
        assertEquals(2, gauge("NumIncrementalFetchSessions"));
        assertEquals(4, gauge("NumIncrementalFetchPartitionsCached"));
    }

    @Test
    void aFullFetchWithTheFinalEpochIsSessionlessAndClosesTheSessionItNames() {
        FetchSessionCache cache = cache(10);
        int id = open(SessionContext.of(cache, full(0, 0, topic("t", 0)), BY_NAME, false), "t", 0);

        SessionContext context = SessionContext.of(cache, full(id, FetchSession.FINAL_EPOCH, topic("t", 0)), BY_NAME,
                false);

        assertInstanceOf(SessionContext.Sessionless.class, context);
        assertNull(cache.get(id));
        assertEquals(0, gauge("NumIncrementalFetchPartitionsCached"));
    }

    @Test
    void aFullFetchThatNamesItsSessionStartsOverInANewOne() {
        FetchSessionCache cache = cache(10);
        int id = open(SessionContext.of(cache, full(0, 0, topic("t", 0)), BY_NAME, false), "t", 0);

        SessionContext context = SessionContext.of(cache, full(id, FetchSession.INITIAL_EPOCH, topic("t", 0)),
                BY_NAME, false);

        assertInstanceOf(SessionContext.Opening.class, context);
        assertNull(cache.get(id), "the client lost track of the session (a dropped answer): it goes");
    }

    @Test
    void anIncrementalFetchAddsAndUpdatesWhatItListsDropsWhatItForgetsAndKeepsTheRest() {
        FetchSessionCache cache = cache(10);
        int id = open(SessionContext.of(cache, full(0, 0, topic("a", 0, 1), topic("b", 0)), BY_NAME, false),
                "a", 0, 1, "b", 0);

        FetchRequest incremental = full(id, 1, topic("a", 1), topic("c", 0));
        incremental.topics().get(0).partitions().get(0).setFetchOffset(42);
        incremental.setForgottenTopicsData(List.of(new FetchRequest.ForgottenTopic().setTopic("b")
                .setPartitions(List.of(0))));
        SessionContext context = SessionContext.of(cache, incremental, BY_NAME, false);

        SessionContext.Incremental applied = assertInstanceOf(SessionContext.Incremental.class, context);
        assertEquals(List.of("a-0@0", "a-1@42", "c-0@0"), applied.partitions().stream()
                .map(p -> p.topic() + "-" + p.request().partition() + "@" + p.request().fetchOffset()).toList());
        assertEquals(2, cache.get(id).epoch());
        assertEquals(3, gauge("NumIncrementalFetchPartitionsCached"));
    }

    @Test
    void anUnknownSessionIdIsRefusedWithFetchSessionIdNotFound() {
        SessionContext context = SessionContext.of(cache(10), full(12345, 1, topic("t", 0)), BY_NAME, false);

        assertEquals(new SessionContext.Failed(Errors.FETCH_SESSION_ID_NOT_FOUND), context);
    }

    @Test
    void aWrongEpochIsRefusedAndLeavesTheSessionAsItWas() {
        FetchSessionCache cache = cache(10);
        int id = open(SessionContext.of(cache, full(0, 0, topic("t", 0)), BY_NAME, false), "t", 0);
        SessionContext.of(cache, full(id, 1), BY_NAME, false);

        SessionContext replay = SessionContext.of(cache, full(id, 1, topic("u", 0)), BY_NAME, false);

        assertEquals(new SessionContext.Failed(Errors.INVALID_FETCH_SESSION_EPOCH), replay);
        assertEquals(2, cache.get(id).epoch());
        assertEquals(1, cache.get(id).size());
    }

    @Test
    void aSessionOpenedWithTopicNamesRefusesTopicIdsAndTheReverse() {
        FetchSessionCache cache = cache(10);
        int byName = open(SessionContext.of(cache, full(0, 0, topic("t", 0)), BY_NAME, false), "t", 0);
        int byId = open(SessionContext.of(cache, full(0, 0, topic("t", 0)), BY_ID, false), "t", 0);

        assertEquals(new SessionContext.Failed(Errors.FETCH_SESSION_TOPIC_ID_ERROR),
                SessionContext.of(cache, full(byName, 1), BY_ID, false));
        assertEquals(new SessionContext.Failed(Errors.FETCH_SESSION_TOPIC_ID_ERROR),
                SessionContext.of(cache, full(byId, 1), BY_NAME, false));
    }

    @Test
    void inATopicIdSessionATopicCreatedAgainUnderItsNameIsAnotherPartition() {
        FetchSessionCache cache = cache(10);
        UUID old = UUID.randomUUID();
        UUID recreated = UUID.randomUUID();
        int id = open(SessionContext.of(cache, full(0, 0, topicById(old, 0)), BY_ID, false), old, 0);

        SessionContext context = SessionContext.of(cache, full(id, 1, topicById(recreated, 0)), BY_ID, false);

        assertEquals(List.of(old, recreated), assertInstanceOf(SessionContext.Incremental.class, context)
                .partitions().stream().map(CachedPartition::topicId).toList());
    }

    @Test
    void theEpochWrapsToOneNeverToZeroOrTheFinalEpoch() {
        assertEquals(1, FetchSession.nextEpoch(Integer.MAX_VALUE));
        assertEquals(8, FetchSession.nextEpoch(7));
        assertEquals(FetchSession.FINAL_EPOCH, FetchSession.nextEpoch(FetchSession.FINAL_EPOCH));
    }

    @Test
    void aFullCacheOffersAConsumerNoSessionWhileTheOthersAreNew() {
        FetchSessionCache cache = cache(2);
        open(cache, false, 1);
        open(cache, false, 1);

        assertEquals(FetchSession.NO_SESSION, open(cache, false, 50));
        assertEquals(2, gauge("NumIncrementalFetchSessions"));
        assertEquals(0, metrics.meter(meterName("IncrementalFetchSessionEvictionsPerSec")).getCount());
    }

    @Test
    void aFollowersSessionEvictsTheSmallestConsumerSessionEvenANewOne() {
        FetchSessionCache cache = cache(2);
        int small = open(cache, false, 1);
        int large = open(cache, false, 5);

        int follower = open(cache, true, 1);

        assertNotEquals(FetchSession.NO_SESSION, follower);
        assertNull(cache.get(small));
        assertTrue(cache.get(large) != null);
        assertNotEquals(FetchSession.NO_SESSION, open(cache, true, 1));
        assertNull(cache.get(large));
        assertEquals(2, metrics.meter(meterName("IncrementalFetchSessionEvictionsPerSec")).getCount());
        assertEquals(FetchSession.NO_SESSION, open(cache, true, 1),
                "a new follower session is not evicted by another follower's of its size");
    }

    @Test
    void aSessionOlderThanTheEvictionTimeIsEvictedForALargerOneButNotForASmaller() {
        FetchSessionCache cache = cache(1);
        int id = open(cache, false, 3);
        now.addAndGet(EVICTION_MS / 2);
        cache.touch(cache.get(id));
        now.addAndGet(EVICTION_MS / 2 + 1);
        cache.touch(cache.get(id));

        assertEquals(FetchSession.NO_SESSION, open(cache, false, 3), "not worth more: same size");
        int larger = open(cache, false, 4);

        assertNotEquals(FetchSession.NO_SESSION, larger);
        assertNull(cache.get(id));
    }

    @Test
    void aSessionUnusedForTheEvictionTimeIsStaleAndGoesForAnyNewcomer() {
        FetchSessionCache cache = cache(1);
        int follower = open(cache, true, 100);
        now.addAndGet(EVICTION_MS + 1);

        int consumer = open(cache, false, 1);

        assertNotEquals(FetchSession.NO_SESSION, consumer);
        assertNull(cache.get(follower));
        assertEquals(1, gauge("NumIncrementalFetchPartitionsCached"));
    }

    @Test
    void noSlotsMeansNoSessions() {
        assertEquals(FetchSession.NO_SESSION, open(cache(0), true, 1));
    }

    @Test
    void aCachedPartitionIsNewsUntilSentAndAgainAfterAnError() {
        CachedPartition cached = new CachedPartition("t", SessionPartitionKey.NO_TOPIC_ID,
                new FetchRequest.FetchPartition());
        assertTrue(cached.hasNews(0, (short) 0, 10, 0, false), "a partition just added");

        cached.sent((short) 0, 10, 0);
        assertFalse(cached.hasNews(0, (short) 0, 10, 0, false));
        assertTrue(cached.hasNews(1, (short) 0, 10, 0, false), "records");
        assertTrue(cached.hasNews(0, (short) 0, 11, 0, false), "high watermark");
        assertTrue(cached.hasNews(0, (short) 0, 10, 5, false), "log start offset");
        assertTrue(cached.hasNews(0, (short) 0, 10, 0, true), "preferred read replica");
        assertTrue(cached.hasNews(0, Errors.NOT_LEADER_OR_FOLLOWER.code(), 10, 0, false), "error");

        cached.sent(Errors.NOT_LEADER_OR_FOLLOWER.code(), -1, -1);
        assertTrue(cached.hasNews(0, (short) 0, 10, 0, false), "the error is gone");
    }

    private int open(FetchSessionCache cache, boolean privileged, int partitions) {
        LinkedHashMap<SessionPartitionKey, CachedPartition> cached = new LinkedHashMap<>();
        for (int i = 0; i < partitions; i++) {
            cached.put(new SessionPartitionKey("t", SessionPartitionKey.NO_TOPIC_ID, i), new CachedPartition("t",
                    SessionPartitionKey.NO_TOPIC_ID, new FetchRequest.FetchPartition().setPartition(i)));
        }
        return cache.open(privileged, false, cached);
    }

    /**
     * Opens the session as a full fetch's answer would, with {@code topicAndPartitions}: a topic's
     * name or id, then its partitions ("t", 0, 1, "u", 0...).
     */
    private static int open(SessionContext context, Object... topicAndPartitions) {
        SessionContext.Opening opening = assertInstanceOf(SessionContext.Opening.class, context);
        LinkedHashMap<SessionPartitionKey, CachedPartition> cached = new LinkedHashMap<>();
        String topic = "";
        UUID topicId = SessionPartitionKey.NO_TOPIC_ID;
        for (Object each : topicAndPartitions) {
            if (each instanceof String name) {
                topic = name;
            } else if (each instanceof UUID id) {
                topicId = id;
            } else {
                int partition = (Integer) each;
                cached.put(new SessionPartitionKey(topic, topicId, partition),
                        new CachedPartition(topic, topicId, new FetchRequest.FetchPartition().setPartition(partition)));
            }
        }
        return opening.cache().open(opening.privileged(), opening.usesTopicIds(), cached);
    }

    private static FetchRequest full(int sessionId, int epoch, FetchRequest.FetchTopic... topics) {
        return new FetchRequest().setSessionId(sessionId).setSessionEpoch(epoch).setTopics(List.of(topics));
    }

    private static FetchRequest.FetchTopic topic(String name, int... partitions) {
        return new FetchRequest.FetchTopic().setTopic(name).setPartitions(partitions(partitions));
    }

    private static FetchRequest.FetchTopic topicById(UUID id, int... partitions) {
        return new FetchRequest.FetchTopic().setTopicId(id).setPartitions(partitions(partitions));
    }

    private static List<FetchRequest.FetchPartition> partitions(int... partitions) {
        return java.util.Arrays.stream(partitions)
                .mapToObj(p -> new FetchRequest.FetchPartition().setPartition(p)).toList();
    }

    private int gauge(String name) {
        return (Integer) ((Gauge<?>) metrics.getGauges().get(meterName(name))).getValue();
    }

    private static String meterName(String name) {
        return "kafka.server:type=FetchSessionCache,name=" + name;
    }
}
