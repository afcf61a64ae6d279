package io.gregor.broker.txn;

/** How a transaction ended: the kind of control marker written to each of its partitions. */
public enum TransactionResult {
    COMMIT,
    ABORT
}
