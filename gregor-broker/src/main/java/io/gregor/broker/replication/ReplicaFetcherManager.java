package io.gregor.broker.replication;

import io.gregor.broker.partition.Partition;
import io.gregor.protocol.api.TopicPartition;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The replica fetchers of this broker: one per leader it follows partitions of, like Kafka's
 * fetcher threads (one connection, one Fetch request per round for all partitions of that
 * leader). The replica manager tells it which partitions to follow from which leader as the
 * metadata changes.
 *
 * <p>Thread-safety: synchronized; called on the metadata thread.
 */
public final class ReplicaFetcherManager implements AutoCloseable {
    private final int localId;
    private final ReplicationConfig config;
    private final IntFunction<LeaderEndpoint> endpoints;
    private final Clock clock;
    private final Map<Integer, ReplicaFetcher> fetchers = new HashMap<>();
    private final Map<TopicPartition, Integer> leaders = new HashMap<>();
    /** follower.replication.throttled.rate, shared by the fetchers from every leader, as in Kafka. */
    private final ReplicationQuota followerQuota;

    /**
     * @param endpoints opens a connection to the broker with the given id
     */
    public ReplicaFetcherManager(int localId, ReplicationConfig config, IntFunction<LeaderEndpoint> endpoints,
                                 Clock clock) {
        this.localId = localId;
        this.config = config;
        this.endpoints = endpoints;
        this.clock = clock;
        this.followerQuota = new ReplicationQuota(config.followerThrottledRate());
    }

    /** The quota of what this broker fetches for throttled replicas. */
    public ReplicationQuota followerQuota() {
        return followerQuota;
    }

    /**
     * Follows {@code partition} from {@code leaderId} under {@code leaderEpoch}, starting with a
     * truncation; stops following it from any other leader first.
     */
    public synchronized void follow(Partition partition, int leaderId, int leaderEpoch) {
        unfollow(partition.topicPartition());
        ReplicaFetcher fetcher = fetchers.computeIfAbsent(leaderId,
                id -> new ReplicaFetcher(localId, id, endpoints.apply(id), config, followerQuota, clock));
        fetcher.add(partition, leaderEpoch);
        leaders.put(partition.topicPartition(), leaderId);
    }

    /** Stops following; once this returns, no fetcher appends to the partition. */
    public synchronized void unfollow(TopicPartition tp) {
        Integer leader = leaders.remove(tp);
        if (leader == null) {
            return;
        }
        ReplicaFetcher fetcher = fetchers.get(leader);
        fetcher.remove(tp);
        if (fetcher.isEmpty()) {
            fetchers.remove(leader);
            fetcher.close();
        }
    }

    @Override
    public synchronized void close() {
        fetchers.values().forEach(ReplicaFetcher::close);
        fetchers.clear();
        leaders.clear();
    }
}
