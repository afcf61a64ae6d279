package io.gregor.broker.txn;

import io.gregor.protocol.api.TopicPartition;

/**
 * Told when a transaction marker is committed on a partition led here. The group coordinator
 * listens for its {@code __consumer_offsets} partitions: a COMMIT makes a producer's pending
 * transactional offset commits visible, an ABORT drops them.
 */
public interface TransactionMarkerListener {
    void onMarkerCommitted(TopicPartition partition, long producerId, TransactionResult result);
}
