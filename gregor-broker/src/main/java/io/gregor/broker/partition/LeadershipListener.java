package io.gregor.broker.partition;

import io.gregor.protocol.api.TopicPartition;

/**
 * Told when this broker starts or stops leading a partition, so that state built from a
 * partition's log (a group coordinator shard over a {@code __consumer_offsets} partition) is
 * loaded where the leader is and dropped where it is not.
 *
 * <p>Calls arrive on the thread that applies metadata (the {@link ReplicaManager}'s, or the
 * starting thread for the image loaded at start), in metadata order; implementations hand any
 * real work to their own threads.
 */
public interface LeadershipListener {
    void onBecomeLeader(Partition partition);

    void onResignLeader(TopicPartition topicPartition);
}
