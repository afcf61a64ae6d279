package io.gregor.broker.txn.coordinator;

/** Who adds partitions to a transaction, which decides what the coordinator does and answers. */
public enum AddMode {
    /** A producer: AddPartitionsToTxn v0-3 or AddOffsetsToTxn. Busy transactions answer CONCURRENT_TRANSACTIONS. */
    CLIENT,
    /** A transaction-V1 producer's batch (or AddPartitionsToTxn v4+ verifyOnly): the partition must be in already. */
    VERIFY,
    /** A transaction-V2 producer's batch (or AddPartitionsToTxn v4+): the partition is added; waits while busy. */
    PRODUCE_ADD
}
