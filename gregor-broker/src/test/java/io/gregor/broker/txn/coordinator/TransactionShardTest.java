package io.gregor.broker.txn.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.broker.txn.TransactionResult;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransactionShardTest {
    private static final String TXN = "txn-1";
    private static final int TIMEOUT_MS = 60_000;
    private static final long EXPIRATION_MS = 3_600_000;
    private static final int COORDINATOR_EPOCH = 7;
    /** Timers are driven by hand here: the periodic scans must not fire on their own. */
    private static final long NEVER = 1_000_000_000L;
    private static final TransactionCoordinatorConfig CONFIG = new TransactionCoordinatorConfig(1, (short) 1, 1,
            900_000, EXPIRATION_MS, NEVER, NEVER, 50);
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final TopicPartition P2 = new TopicPartition("payments", 0);

    private final InMemoryTransactionLog log = new InMemoryTransactionLog();
    private final RecordingMarkerWriter markers = new RecordingMarkerWriter();
    private final MutableClock clock = new MutableClock();
    private final AtomicLong nextProducerId = new AtomicLong(1000);
    private final List<ScheduledExecutorService> executors = new ArrayList<>();
    private OpenTransactions open;
    private TransactionShard shard;

    @BeforeEach
    void loadEmptyShard() {
        shard = loadedShard();
    }

    @AfterEach
    void stopExecutors() {
        executors.forEach(ScheduledExecutorService::shutdownNow);
    }

    @Test
    void newTransactionalIdGetsANewProducerIdAndEachInitBumpsTheEpoch() {
        TransactionShard.ProducerIdResult first = init(TXN);
        TransactionShard.ProducerIdResult second = init(TXN);

        assertThat(first).isEqualTo(new TransactionShard.ProducerIdResult(Errors.NONE, 1000, (short) 0));
        assertThat(second).isEqualTo(new TransactionShard.ProducerIdResult(Errors.NONE, 1000, (short) 1));
        assertThat(init("other").producerId()).isEqualTo(1001);
    }

    @Test
    void timeoutAboveTheMaximumIsRefused() {
        assertThat(call(() -> shard.initProducerId(TXN, 900_001, -1, (short) -1)).error())
                .isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(call(() -> shard.initProducerId(TXN, 0, -1, (short) -1)).error())
                .isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
    }

    @Test
    void commitWritesTheDecisionThenCommitMarkersToEveryPartitionThenCompletes() {
        TransactionShard.ProducerIdResult producer = init(TXN);
        assertThat(add(producer, Set.of(P0, P1, P2), AddMode.CLIENT)).isEqualTo(Errors.NONE);
        assertThat(state(TXN).state()).isEqualTo(TransactionState.ONGOING);

        TransactionShard.ProducerIdResult ended = end(producer, true, false);

        assertThat(ended).isEqualTo(producer);
        await().until(() -> state(TXN).state() == TransactionState.COMPLETE_COMMIT);
        assertThat(markers.calls()).containsExactly(new RecordingMarkerWriter.Call(producer.producerId(),
                producer.producerEpoch(), COORDINATOR_EPOCH, TransactionResult.COMMIT, Set.of(P0, P1, P2)));
        assertThat(state(TXN).partitions()).isEmpty();
    }

    @Test
    void partitionsWhoseMarkerFailedAreRetriedUntilWritten() {
        TransactionShard.ProducerIdResult producer = init(TXN);
        add(producer, Set.of(P0, P1), AddMode.CLIENT);
        markers.failNext(P1, 2);

        end(producer, false, false);

        await().until(() -> state(TXN).state() == TransactionState.COMPLETE_ABORT);
        List<RecordingMarkerWriter.Call> calls = markers.calls();
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0).partitions()).containsExactlyInAnyOrder(P0, P1);
        assertThat(calls.get(1).partitions()).containsExactly(P1);
        assertThat(calls.get(2).partitions()).containsExactly(P1);
        assertThat(calls).allMatch(call -> call.result() == TransactionResult.ABORT);
    }

    @Test
    void whileMarkersArePendingTheIdAnswersConcurrentTransactionsAndDescribeShowsWhatIsLeft() {
        TransactionShard.ProducerIdResult producer = init(TXN);
        add(producer, Set.of(P0, P1), AddMode.CLIENT);
        markers.pause();

        end(producer, true, false);

        assertThat(init(TXN).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(add(producer, Set.of(P2), AddMode.CLIENT)).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(end(producer, true, false).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(end(producer, false, false).error()).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(describe(TXN).state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(describe(TXN).partitions()).containsExactlyInAnyOrder(P0, P1);

        markers.resume();

        await().until(() -> state(TXN).state() == TransactionState.COMPLETE_COMMIT);
        assertThat(init(TXN).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void aNewInstanceFencesTheZombieWhichCanNeitherAddNorCommit() {
        TransactionShard.ProducerIdResult zombie = init(TXN);
        add(zombie, Set.of(P0), AddMode.CLIENT);

        // The new instance's first try aborts the zombie's open transaction and is told to retry.
        assertThat(init(TXN).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        await().until(() -> state(TXN).state() == TransactionState.COMPLETE_ABORT);
        TransactionShard.ProducerIdResult fresh = init(TXN);

        assertThat(fresh.error()).isEqualTo(Errors.NONE);
        assertThat(fresh.producerEpoch()).isEqualTo((short) (zombie.producerEpoch() + 2));
        assertThat(markers.calls()).singleElement().satisfies(call -> {
            assertThat(call.result()).isEqualTo(TransactionResult.ABORT);
            assertThat(call.producerEpoch()).isEqualTo((short) (zombie.producerEpoch() + 1));
        });
        assertThat(add(zombie, Set.of(P1), AddMode.CLIENT)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(end(zombie, true, false).error()).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(end(zombie, true, true).error()).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void unknownIdsAndWrongProducerIdsGetInvalidProducerIdMapping() {
        TransactionShard.ProducerIdResult producer = init(TXN);
        TransactionShard.ProducerIdResult stranger = new TransactionShard.ProducerIdResult(Errors.NONE, 42, (short) 0);

        assertThat(call(() -> shard.addPartitions("unknown", 1000, (short) 0, Set.of(P0), AddMode.CLIENT)))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(call(() -> shard.endTransaction("unknown", 1000, (short) 0, true, false)).error())
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(add(stranger, Set.of(P0), AddMode.CLIENT)).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(call(() -> shard.initProducerId(TXN, TIMEOUT_MS, 42, (short) 0)).error())
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(end(producer, true, false).error()).isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void producerNamingItsCurrentEpochBumpsAndARetryOfThatBumpGetsTheSameAnswer() {
        TransactionShard.ProducerIdResult producer = init(TXN);

        TransactionShard.ProducerIdResult bumped = call(() -> shard.initProducerId(TXN, TIMEOUT_MS,
                producer.producerId(), producer.producerEpoch()));
        TransactionShard.ProducerIdResult retried = call(() -> shard.initProducerId(TXN, TIMEOUT_MS,
                producer.producerId(), producer.producerEpoch()));

        assertThat(bumped.producerEpoch()).isEqualTo((short) 1);
        assertThat(retried).isEqualTo(bumped);
        assertThat(call(() -> shard.initProducerId(TXN, TIMEOUT_MS, producer.producerId(), (short) 9)).error())
                .isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void transactionOpenPastItsTimeoutIsAbortedWithTheEpochBumped() {
        TransactionShard.ProducerIdResult producer = init(TXN);
        add(producer, Set.of(P0, P1), AddMode.CLIENT);

        clock.advance(TIMEOUT_MS - 1);
        run(shard::abortTimedOut);
        assertThat(state(TXN).state()).isEqualTo(TransactionState.ONGOING);

        clock.advance(2);
        run(shard::abortTimedOut);

        await().until(() -> state(TXN).state() == TransactionState.COMPLETE_ABORT);
        assertThat(markers.calls()).singleElement().satisfies(call -> {
            assertThat(call.result()).isEqualTo(TransactionResult.ABORT);
            assertThat(call.producerEpoch()).isEqualTo((short) 1);
            assertThat(call.partitions()).containsExactlyInAnyOrder(P0, P1);
        });
        assertThat(end(producer, true, false).error()).isEqualTo(Errors.PRODUCER_FENCED);
        // A transaction-V2 producer learns its transaction was aborted and aborts too, at the new epoch.
        assertThat(end(producer, true, true).error()).isEqualTo(Errors.TRANSACTION_ABORTABLE);
        assertThat(end(producer, false, true)).isEqualTo(
                new TransactionShard.ProducerIdResult(Errors.NONE, producer.producerId(), (short) 1));
        // The producer recovers by naming its old epoch (KIP-360).
        assertThat(call(() -> shard.initProducerId(TXN, TIMEOUT_MS, producer.producerId(), producer.producerEpoch()))
                .producerEpoch()).isEqualTo((short) 2);
    }

    @Test
    void transactionV2EndBumpsTheEpochAndARetryAtTheOldEpochGetsTheSameAnswer() {
        TransactionShard.ProducerIdResult producer = init(TXN);
        assertThat(add(producer, Set.of(P0), AddMode.PRODUCE_ADD)).isEqualTo(Errors.NONE);

        TransactionShard.ProducerIdResult ended = end(producer, true, true);

        assertThat(ended).isEqualTo(new TransactionShard.ProducerIdResult(Errors.NONE, producer.producerId(),
                (short) (producer.producerEpoch() + 1)));
        assertThat(end(producer, true, true)).isEqualTo(ended);
        await().until(() -> state(TXN).state() == TransactionState.COMPLETE_COMMIT);
        assertThat(end(producer, true, true)).isEqualTo(ended);
        assertThat(end(producer, false, true).error()).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(markers.calls()).singleElement().satisfies(call ->
                assertThat(call.producerEpoch()).isEqualTo(ended.producerEpoch()));
        // A late batch of the finished transaction is refused; the next transaction's is added.
        assertThat(add(producer, Set.of(P1), AddMode.PRODUCE_ADD)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(add(ended, Set.of(P1), AddMode.PRODUCE_ADD)).isEqualTo(Errors.NONE);
        assertThat(state(TXN).transactionVersion()).isEqualTo((byte) 2);
    }

    @Test
    void transactionV2AbortWithNothingAddedStillBumpsTheEpoch() {
        TransactionShard.ProducerIdResult producer = init(TXN);

        TransactionShard.ProducerIdResult ended = end(producer, false, true);

        assertThat(ended.producerEpoch()).isEqualTo((short) 1);
        assertThat(state(TXN).state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(end(ended, true, true).error()).isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void verificationPassesOnlyPartitionsOfTheOpenTransaction() {
        TransactionShard.ProducerIdResult producer = init(TXN);
        assertThat(add(producer, Set.of(P0), AddMode.VERIFY)).isEqualTo(Errors.INVALID_TXN_STATE);
        add(producer, Set.of(P0), AddMode.CLIENT);

        assertThat(add(producer, Set.of(P0), AddMode.VERIFY)).isEqualTo(Errors.NONE);
        assertThat(add(producer, Set.of(P1), AddMode.VERIFY)).isEqualTo(Errors.INVALID_TXN_STATE);
        await().until(() -> open.allows(producer.producerId(), producer.producerEpoch(), P0));
        assertThat(open.allows(producer.producerId(), producer.producerEpoch(), P1)).isFalse();
        assertThat(open.allows(producer.producerId(), (short) (producer.producerEpoch() + 1), P0)).isFalse();

        end(producer, true, false);
        assertThat(open.allows(producer.producerId(), producer.producerEpoch(), P0)).isFalse();
    }

    @Test
    void produceAddsWaitBehindAWriteAndAreAnsweredInTheOrderTheyCame() {
        TransactionShard.ProducerIdResult producer = init(TXN);
        log.holdAppends();
        List<Integer> answered = new java.util.concurrent.CopyOnWriteArrayList<>();

        CompletableFuture<Errors> first = submit(() -> shard.addPartitions(TXN, producer.producerId(),
                producer.producerEpoch(), Set.of(P0), AddMode.PRODUCE_ADD));
        first.thenRun(() -> answered.add(1));
        CompletableFuture<Errors> second = submit(() -> shard.addPartitions(TXN, producer.producerId(),
                producer.producerEpoch(), Set.of(P0), AddMode.PRODUCE_ADD));
        second.thenRun(() -> answered.add(2));
        CompletableFuture<Errors> third = submit(() -> shard.addPartitions(TXN, producer.producerId(),
                producer.producerEpoch(), Set.of(P1), AddMode.PRODUCE_ADD));
        third.thenRun(() -> answered.add(3));
        await().until(() -> log.heldAppends() == 1);
        assertThat(open.allows(producer.producerId(), producer.producerEpoch(), P0)).isFalse();

        log.releaseAppends();
        await().until(() -> log.heldAppends() == 1);
        log.releaseAppends();

        assertThat(List.of(first.join(), second.join(), third.join())).containsOnly(Errors.NONE);
        assertThat(answered).containsExactly(1, 2, 3);
        await().until(() -> open.allows(producer.producerId(), producer.producerEpoch(), P1));
        assertThat(state(TXN).partitions()).containsExactlyInAnyOrder(P0, P1);
    }

    @Test
    void reloadedShardHasTheSameTransactionsAndFinishesAPreparedOne() {
        TransactionShard.ProducerIdResult committed = init("committed");
        add("committed", committed, Set.of(P0), AddMode.CLIENT);
        end("committed", committed, true, false);
        await().until(() -> state("committed").state() == TransactionState.COMPLETE_COMMIT);
        TransactionShard.ProducerIdResult ongoing = init("ongoing");
        add("ongoing", ongoing, Set.of(P1), AddMode.CLIENT);
        TransactionShard.ProducerIdResult preparing = init("preparing");
        add("preparing", preparing, Set.of(P2), AddMode.CLIENT);
        markers.pause();
        end("preparing", preparing, false, false);
        run(shard::unload);

        markers.resume();
        TransactionShard reloaded = loadedShard();
        shard = reloaded;

        assertThat(state("committed")).satisfies(txn -> {
            assertThat(txn.state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
            assertThat(txn.producerId()).isEqualTo(committed.producerId());
        });
        assertThat(state("ongoing").state()).isEqualTo(TransactionState.ONGOING);
        assertThat(state("ongoing").partitions()).containsExactly(P1);
        await().until(() -> state("preparing").state() == TransactionState.COMPLETE_ABORT);
        assertThat(markers.calls()).filteredOn(call -> call.partitions().contains(P2))
                .allMatch(call -> call.result() == TransactionResult.ABORT).isNotEmpty();
        assertThat(add("ongoing", ongoing, Set.of(P1), AddMode.VERIFY)).isEqualTo(Errors.NONE);
    }

    @Test
    void idleTransactionalIdsExpireWithATombstone() {
        init(TXN);
        TransactionShard.ProducerIdResult busy = init("busy");
        add("busy", busy, Set.of(P0), AddMode.CLIENT);
        int batchesBefore = log.batchCount();

        clock.advance(EXPIRATION_MS + 1);
        run(shard::expireIdle);

        await().until(() -> call(() -> CompletableFuture.completedFuture(shard.describe(TXN))).isEmpty());
        assertThat(call(() -> CompletableFuture.completedFuture(shard.describe("busy")))).isPresent();
        assertThat(log.batchCount()).isEqualTo(batchesBefore + 1);
        shard = loadedShard();
        assertThat(call(() -> CompletableFuture.completedFuture(shard.describe(TXN)))).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private TransactionShard loadedShard() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        executors.add(executor);
        open = new OpenTransactions();
        TransactionShard loaded = new TransactionShard(log, COORDINATOR_EPOCH, executor, CONFIG, clock,
                nextProducerId::getAndIncrement, markers, open);
        loaded.startLoading();
        await().until(() -> loaded.submit(() -> CompletableFuture.completedFuture(Errors.NONE), e -> e).join()
                == Errors.NONE);
        return loaded;
    }

    private TransactionShard.ProducerIdResult init(String transactionalId) {
        return call(() -> shard.initProducerId(transactionalId, TIMEOUT_MS, -1, (short) -1));
    }

    private Errors add(TransactionShard.ProducerIdResult producer, Set<TopicPartition> partitions, AddMode mode) {
        return add(TXN, producer, partitions, mode);
    }

    private Errors add(String transactionalId, TransactionShard.ProducerIdResult producer,
                       Set<TopicPartition> partitions, AddMode mode) {
        return call(() -> shard.addPartitions(transactionalId, producer.producerId(), producer.producerEpoch(),
                partitions, mode));
    }

    private TransactionShard.ProducerIdResult end(TransactionShard.ProducerIdResult producer, boolean commit,
                                                  boolean v2) {
        return end(TXN, producer, commit, v2);
    }

    private TransactionShard.ProducerIdResult end(String transactionalId, TransactionShard.ProducerIdResult producer,
                                                  boolean commit, boolean v2) {
        return call(() -> shard.endTransaction(transactionalId, producer.producerId(), producer.producerEpoch(),
                commit, v2));
    }

    private TransactionMetadata state(String transactionalId) {
        return describe(transactionalId);
    }

    private TransactionMetadata describe(String transactionalId) {
        return call(() -> CompletableFuture.completedFuture(shard.describe(transactionalId))).orElseThrow();
    }

    private void run(Runnable task) {
        call(() -> {
            task.run();
            return CompletableFuture.completedFuture(Optional.empty());
        });
    }

    private <R> CompletableFuture<R> submit(Supplier<CompletableFuture<R>> operation) {
        return shard.submit(operation, error -> {
            throw new AssertionError("Shard refused with " + error);
        });
    }

    private <R> R call(Supplier<CompletableFuture<R>> operation) {
        return submit(operation).join();
    }

    private static final class MutableClock extends Clock {
        private volatile long millis = 1_700_000_000_000L;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }
    }
}
