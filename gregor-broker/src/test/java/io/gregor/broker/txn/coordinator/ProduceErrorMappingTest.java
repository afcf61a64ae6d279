package io.gregor.broker.txn.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.protocol.error.Errors;
import org.junit.jupiter.api.Test;

/** The coordinator's answers to a Produce verification, as each producer generation understands them. */
class ProduceErrorMappingTest {
    @Test
    void fencedProducersGetInvalidProducerEpoch() {
        assertThat(TransactionCoordinator.toProduceError(Errors.PRODUCER_FENCED, (short) 12))
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void transactionAbortableOnlyReachesProducersThatKnowIt() {
        assertThat(TransactionCoordinator.toProduceError(Errors.TRANSACTION_ABORTABLE, (short) 11))
                .isEqualTo(Errors.TRANSACTION_ABORTABLE);
        assertThat(TransactionCoordinator.toProduceError(Errors.TRANSACTION_ABORTABLE, (short) 10))
                .isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void busyOrUnreachableCoordinatorsAreRetriable() {
        assertThat(TransactionCoordinator.toProduceError(Errors.CONCURRENT_TRANSACTIONS, (short) 12))
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(TransactionCoordinator.toProduceError(Errors.CONCURRENT_TRANSACTIONS, (short) 11))
                .isEqualTo(Errors.NOT_ENOUGH_REPLICAS);
        assertThat(TransactionCoordinator.toProduceError(Errors.NOT_COORDINATOR, (short) 12))
                .isEqualTo(Errors.NOT_ENOUGH_REPLICAS);
        assertThat(TransactionCoordinator.toProduceError(Errors.COORDINATOR_LOAD_IN_PROGRESS, (short) 9))
                .isEqualTo(Errors.NOT_ENOUGH_REPLICAS);
    }

    @Test
    void partitionsNotInTheTransactionAreInvalidTxnState() {
        assertThat(TransactionCoordinator.toProduceError(Errors.INVALID_TXN_STATE, (short) 11))
                .isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(TransactionCoordinator.toProduceError(Errors.INVALID_PRODUCER_ID_MAPPING, (short) 11))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    }
}
