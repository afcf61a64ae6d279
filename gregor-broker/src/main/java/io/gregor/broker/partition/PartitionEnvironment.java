package io.gregor.broker.partition;

import io.gregor.broker.metrics.PartitionMeters;
import io.gregor.broker.purgatory.Purgatory;
import io.gregor.broker.replication.IsrChangeChannel;
import io.gregor.protocol.api.TopicPartition;
import java.time.Clock;
import java.util.function.IntPredicate;

/**
 * What every partition of a broker shares: this broker's id, the purgatories where fetches and
 * acks=all produces wait, the channel for ISR changes, which replicas the controller lets join an
 * ISR (registered and unfenced brokers, as the metadata says), the clock that replica lag is
 * measured with, and the partitions' meters.
 */
public record PartitionEnvironment(int localBrokerId, Purgatory<TopicPartition> fetchPurgatory,
                                   Purgatory<TopicPartition> producePurgatory, IsrChangeChannel isrChanges,
                                   IntPredicate isrEligible, Clock clock,
                                   PartitionMeters meters) {
}
