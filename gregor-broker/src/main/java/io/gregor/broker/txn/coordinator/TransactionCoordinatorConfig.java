package io.gregor.broker.txn.coordinator;

/**
 * The broker settings the transaction coordinator reads.
 *
 * @param stateLogPartitions {@code transaction.state.log.num.partitions}: one coordinator shard each
 * @param stateLogReplicationFactor {@code transaction.state.log.replication.factor}
 * @param stateLogMinIsr {@code transaction.state.log.min.isr}: the topic's min.insync.replicas
 * @param maxTimeoutMs {@code transaction.max.timeout.ms}: the longest transaction timeout a producer may ask for
 * @param idExpirationMs {@code transactional.id.expiration.ms}: an idle transactional id is forgotten after this
 * @param abortTimedOutIntervalMs {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}
 * @param removeExpiredIntervalMs {@code transaction.remove.expired.transaction.cleanup.interval.ms}
 * @param offsetsTopicPartitions {@code offsets.topic.num.partitions}: AddOffsetsToTxn adds the group's partition
 */
public record TransactionCoordinatorConfig(int stateLogPartitions, short stateLogReplicationFactor,
                                           int stateLogMinIsr, int maxTimeoutMs,
                                           long idExpirationMs, long abortTimedOutIntervalMs,
                                           long removeExpiredIntervalMs, int offsetsTopicPartitions) {
}
