package io.gregor.broker.txn.coordinator;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a transactional id is in its life (KIP-98). A transaction goes EMPTY (producer id
 * handed out) &rarr; ONGOING (partitions added) &rarr; PREPARE_COMMIT or PREPARE_ABORT (decision
 * written, markers being written) &rarr; COMPLETE_COMMIT or COMPLETE_ABORT (every marker written),
 * and from a complete state back to ONGOING with the next transaction. DEAD is a transactional
 * id expired and tombstoned.
 *
 * <p>The wire names are the ones ListTransactions and DescribeTransactions report and filter by.
 * The code is what {@link TransactionRecords} stores.
 */
public enum TransactionState {
    EMPTY(0, "Empty"),
    ONGOING(1, "Ongoing"),
    PREPARE_COMMIT(2, "PrepareCommit"),
    PREPARE_ABORT(3, "PrepareAbort"),
    COMPLETE_COMMIT(4, "CompleteCommit"),
    COMPLETE_ABORT(5, "CompleteAbort"),
    DEAD(6, "Dead");

    private final byte code;
    private final String wireName;

    TransactionState(int code, String wireName) {
        this.code = (byte) code;
        this.wireName = wireName;
    }

    public byte code() {
        return code;
    }

    public String wireName() {
        return wireName;
    }

    /** Markers are being written: the decision is taken but the transaction is not over. */
    public boolean isPreparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** No transaction in progress: a new one may start. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    public static TransactionState ofCode(byte code) {
        for (TransactionState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalArgumentException("Unknown transaction state code " + code);
    }

    public static Optional<TransactionState> ofWireName(String name) {
        return Arrays.stream(values()).filter(state -> state.wireName.equals(name)).findFirst();
    }
}
