package io.gregor.broker.api.txn;

import io.gregor.protocol.error.Errors;

/**
 * The transaction coordinator answers with today's error codes; older request versions predate
 * some of them and get the code their clients know instead. PRODUCER_FENCED (KIP-588) replaced
 * INVALID_PRODUCER_EPOCH for a fenced producer; TRANSACTION_ABORTABLE (KIP-890) is newer still.
 */
final class TransactionErrors {
    private TransactionErrors() {
    }

    /**
     * @param fencedSince the first version of the API that knows PRODUCER_FENCED
     * @param abortableSince the first version of the API that knows TRANSACTION_ABORTABLE
     */
    static Errors forVersion(Errors error, short version, int fencedSince, int abortableSince) {
        if (error == Errors.PRODUCER_FENCED && version < fencedSince) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        if (error == Errors.TRANSACTION_ABORTABLE && version < abortableSince) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        return error;
    }
}
