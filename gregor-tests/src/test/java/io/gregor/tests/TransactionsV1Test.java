package io.gregor.tests;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TransactionsTest} with {@code transaction.version} 1 finalized: the kafka-clients 4.x
 * producer falls back to the original protocol (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn v4
 * without an epoch bump), which older clients such as librdkafka and Streams 3.x speak.
 */
class TransactionsV1Test extends TransactionsTest {
    @BeforeAll
    static void startBroker() throws Exception {
        startBroker(1);
    }
}
