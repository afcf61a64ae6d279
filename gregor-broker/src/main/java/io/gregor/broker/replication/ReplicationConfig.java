package io.gregor.broker.replication;

/**
 * The broker's replication settings (Kafka's key names): how long an ISR member may lag, and how
 * the replica fetchers ask their leaders for data.
 *
 * @param replicaLagTimeMaxMs a follower not caught up for this long leaves the ISR
 * @param fetchWaitMaxMs      how long a follower's fetch waits at the leader for new data
 * @param fetchMinBytes       how much data a follower's fetch waits for
 * @param fetchMaxBytes       the most a follower's fetch asks for, over all its partitions
 * @param fetchPartitionMaxBytes the most a follower's fetch asks for per partition
 * @param fetchBackoffMs      how long a fetcher waits after an error before asking again
 * @param highWatermarkCheckpointIntervalMs how often replicated partitions write their high
 *                            watermark to disk
 * @param leaderThrottledRate the bytes per second a leader sends to throttled replicas
 * @param followerThrottledRate the bytes per second a follower fetches for throttled replicas
 */
public record ReplicationConfig(long replicaLagTimeMaxMs, int fetchWaitMaxMs, int fetchMinBytes, int fetchMaxBytes,
                                int fetchPartitionMaxBytes, long fetchBackoffMs,
                                long highWatermarkCheckpointIntervalMs, long leaderThrottledRate,
                                long followerThrottledRate) {
    /** Without replication throttles. */
    public ReplicationConfig(long replicaLagTimeMaxMs, int fetchWaitMaxMs, int fetchMinBytes, int fetchMaxBytes,
                             int fetchPartitionMaxBytes, long fetchBackoffMs, long highWatermarkCheckpointIntervalMs) {
        this(replicaLagTimeMaxMs, fetchWaitMaxMs, fetchMinBytes, fetchMaxBytes, fetchPartitionMaxBytes, fetchBackoffMs,
                highWatermarkCheckpointIntervalMs, Long.MAX_VALUE, Long.MAX_VALUE);
    }
}
