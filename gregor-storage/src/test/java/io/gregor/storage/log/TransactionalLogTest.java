package io.gregor.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.ControlRecordType;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.storage.producer.ProducerStateEntry;
import io.gregor.storage.txn.AbortedTxn;
import io.gregor.storage.txn.TransactionIndex;
import io.gregor.storage.txn.TxnMarker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions in one partition: the last stable offset, markers, the aborted-transaction index, recovery. */
class TransactionalLogTest {
    static final long NOW = 1_700_000_000_000L;
    static final long PID = 9001L;
    static final long OTHER_PID = 9002L;
    static final short EPOCH = 3;
    static final int COORDINATOR_EPOCH = 7;

    @TempDir
    Path logDir;

    final MutableClock clock = new MutableClock(NOW);
    PartitionLog log;

    @AfterEach
    void closeLog() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    PartitionLog open(Map<String, ?> overrides, boolean clean) throws IOException {
        // Rolled segments are flushed on the calling thread: a background flush of a log the
        // test abandons ("crashes") would otherwise move the recovery point the test set.
        LogEnvironment env = new LogEnvironment(clock, SegmentDeleter.IMMEDIATE, LogDirFailureListener.IGNORE,
                Runnable::run);
        log = PartitionLog.open(logDir.resolve("payments-0"), LogConfig.create(Map.of(), overrides), env, clean);
        return log;
    }

    /** A transactional producer's batch as kafka-clients builds it. */
    static MemoryRecords transactional(long producerId, short epoch, int baseSequence, int count) {
        ByteBuffer buffer = ByteBuffer.allocate(1024 + count * 64);
        MemoryRecordsBuilder builder = org.apache.kafka.common.record.MemoryRecords.builder(buffer,
                RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE, TimestampType.CREATE_TIME, 0L,
                RecordBatch.NO_TIMESTAMP, producerId, epoch, baseSequence, true, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < count; i++) {
            builder.append(NOW + i, ("k" + i).getBytes(StandardCharsets.UTF_8), new byte[10]);
        }
        return new MemoryRecords(builder.build().buffer());
    }

    /** Appends as the leader and commits at once, as a single-node broker does. */
    LogAppendInfo produce(MemoryRecords records) {
        LogAppendInfo info = log.append(records, AppendContext.leader(1));
        log.updateHighWatermark(log.logEndOffset());
        return info;
    }

    LogAppendInfo marker(long producerId, short epoch, int coordinatorEpoch, ControlRecordType type) {
        LogAppendInfo info = log.append(new TxnMarker(type, coordinatorEpoch).toBatch(producerId, epoch, NOW),
                AppendContext.coordinator(1));
        log.updateHighWatermark(log.logEndOffset());
        return info;
    }

    Errors markerRefusal(long producerId, short epoch, int coordinatorEpoch) {
        long endBefore = log.logEndOffset();
        Throwable thrown = catchThrowable(() -> marker(producerId, epoch, coordinatorEpoch, ControlRecordType.COMMIT));
        assertThat(thrown).isInstanceOf(ApiException.class);
        assertThat(log.logEndOffset()).as("a refused marker is not written").isEqualTo(endBefore);
        return ((ApiException) thrown).error();
    }

    @Test
    void openTransactionHoldsTheLastStableOffsetAtItsFirstOffsetUntilCommitted() throws IOException {
        open(Map.of(), true);
        produce(TestBatches.batch(2, NOW)); // 0..1, not transactional
        produce(transactional(PID, EPOCH, 0, 3)); // 2..4
        produce(TestBatches.batch(1, NOW)); // 5

        assertThat(log.highWatermark()).isEqualTo(6);
        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.producerState(PID).orElseThrow().currentTxnFirstOffset()).isEqualTo(2);

        LogAppendInfo commit = marker(PID, (short) (EPOCH + 1), COORDINATOR_EPOCH, ControlRecordType.COMMIT);

        assertThat(commit.firstOffset()).isEqualTo(6);
        assertThat(log.lastStableOffset()).isEqualTo(7).isEqualTo(log.highWatermark());
        ProducerStateEntry state = log.producerState(PID).orElseThrow();
        assertThat(state.inTransaction()).isFalse();
        assertThat(state.epoch()).isEqualTo((short) (EPOCH + 1));
        assertThat(state.coordinatorEpoch()).isEqualTo(COORDINATOR_EPOCH);
        assertThat(log.abortedTransactions(0, 7)).isEmpty();
    }

    @Test
    void lastStableOffsetIsTheOldestOpenTransactionAcrossProducers() throws IOException {
        open(Map.of(), true);
        produce(transactional(PID, EPOCH, 0, 2)); // 0..1
        produce(transactional(OTHER_PID, EPOCH, 0, 2)); // 2..3
        produce(transactional(PID, EPOCH, 2, 2)); // 4..5, same transaction

        marker(PID, EPOCH, COORDINATOR_EPOCH, ControlRecordType.COMMIT); // 6
        assertThat(log.lastStableOffset()).isEqualTo(2);

        marker(OTHER_PID, EPOCH, COORDINATOR_EPOCH, ControlRecordType.ABORT); // 7
        assertThat(log.lastStableOffset()).isEqualTo(8);
    }

    @Test
    void markerAboveTheHighWatermarkKeepsItsTransactionUnstable() throws IOException {
        open(Map.of(), true);
        produce(transactional(PID, EPOCH, 0, 2)); // 0..1
        log.append(new TxnMarker(ControlRecordType.COMMIT, COORDINATOR_EPOCH).toBatch(PID, EPOCH, NOW),
                AppendContext.coordinator(1)); // 2, not yet replicated

        assertThat(log.lastStableOffset()).as("the marker could still be lost").isZero();

        log.updateHighWatermark(2);
        assertThat(log.lastStableOffset()).isZero();
        log.updateHighWatermark(3);
        assertThat(log.lastStableOffset()).isEqualTo(3);
    }

    @Test
    void abortIsIndexedAndFoundByOverlappingFetchRanges() throws IOException {
        open(Map.of(), true);
        produce(TestBatches.batch(2, NOW)); // 0..1
        produce(transactional(PID, EPOCH, 0, 3)); // 2..4
        produce(transactional(OTHER_PID, EPOCH, 0, 1)); // 5
        marker(PID, EPOCH, COORDINATOR_EPOCH, ControlRecordType.ABORT); // 6
        marker(OTHER_PID, EPOCH, COORDINATOR_EPOCH, ControlRecordType.COMMIT); // 7
        produce(TestBatches.batch(2, NOW)); // 8..9

        AbortedTxn aborted = new AbortedTxn(PID, 2, 6, 5);
        assertThat(log.abortedTransactions(0, 10)).containsExactly(aborted);
        assertThat(log.abortedTransactions(4, 5)).containsExactly(aborted);
        assertThat(log.abortedTransactions(6, 10)).containsExactly(aborted);
        assertThat(log.abortedTransactions(0, 2)).as("ends before the transaction starts").isEmpty();
        assertThat(log.abortedTransactions(7, 10)).as("starts after its marker").isEmpty();
        assertThat(log.lastStableOffset()).isEqualTo(10);
    }

    @Test
    void markerWithAnOlderProducerEpochIsRefused() throws IOException {
        open(Map.of(), true);
        produce(transactional(PID, EPOCH, 0, 1));

        assertThat(markerRefusal(PID, (short) (EPOCH - 1), COORDINATOR_EPOCH)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(log.lastStableOffset()).isZero();
    }

    @Test
    void markerFromAnOlderCoordinatorEpochIsFenced() throws IOException {
        open(Map.of(), true);
        produce(transactional(PID, EPOCH, 0, 1));
        marker(PID, EPOCH, COORDINATOR_EPOCH, ControlRecordType.COMMIT);

        assertThat(markerRefusal(PID, EPOCH, COORDINATOR_EPOCH - 1)).isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
    }

    @Test
    void bumpedEpochMarkerIsAcceptedAgainAndTheNextTransactionStartsAtSequenceZero() throws IOException {
        open(Map.of(), true);
        produce(transactional(PID, EPOCH, 0, 2));
        short bumped = (short) (EPOCH + 1);
        marker(PID, bumped, COORDINATOR_EPOCH, ControlRecordType.COMMIT);
        marker(PID, bumped, COORDINATOR_EPOCH, ControlRecordType.COMMIT); // a retried marker

        LogAppendInfo next = produce(transactional(PID, bumped, 0, 1));

        assertThat(next.firstOffset()).isEqualTo(4);
        assertThat(log.lastStableOffset()).isEqualTo(4);
        assertThat(catchThrowable(() -> produce(transactional(PID, EPOCH, 2, 1))))
                .isInstanceOf(ApiException.class)
                .extracting(t -> ((ApiException) t).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void markerForAProducerWithNoOpenTransactionIsWrittenAndChangesNothingElse() throws IOException {
        open(Map.of(), true);
        produce(TestBatches.batch(1, NOW));

        marker(PID, EPOCH, COORDINATOR_EPOCH, ControlRecordType.ABORT);

        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.abortedTransactions(0, 2)).isEmpty();
        assertThat(log.producerState(PID).orElseThrow().inTransaction()).isFalse();
    }

    @Test
    void clientsMayNotAppendControlBatches() throws IOException {
        open(Map.of(), true);
        MemoryRecords forged = new TxnMarker(ControlRecordType.COMMIT, 0).toBatch(PID, EPOCH, NOW);

        Throwable thrown = catchThrowable(() -> log.append(forged, AppendContext.leader(1)));

        assertThat(thrown).isInstanceOf(InvalidRecordException.class);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void nonTransactionalBatchDuringAnOpenTransactionIsInvalidTxnState() throws IOException {
        open(Map.of(), true);
        produce(transactional(PID, EPOCH, 0, 1));

        Throwable thrown = catchThrowable(() -> produce(TestBatches.idempotent(PID, EPOCH, 1, 1, NOW)));

        assertThat(thrown).isInstanceOf(ApiException.class);
        assertThat(((ApiException) thrown).error()).isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void markerBatchIsWhatKafkaClientsReadAsAnEndTransactionMarker() {
        MemoryRecords ours = new TxnMarker(ControlRecordType.ABORT, COORDINATOR_EPOCH).toBatch(PID, EPOCH, NOW);

        List<RecordBatch> batches = TestBatches.parse(ours.buffer());

        assertThat(batches).hasSize(1);
        RecordBatch batch = batches.get(0);
        assertThat(batch.isControlBatch()).isTrue();
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.producerId()).isEqualTo(PID);
        assertThat(batch.producerEpoch()).isEqualTo(EPOCH);
        Record record = batch.iterator().next();
        EndTransactionMarker marker = EndTransactionMarker.deserialize(record);
        assertThat(marker.controlType()).isEqualTo(org.apache.kafka.common.record.ControlRecordType.ABORT);
        assertThat(marker.coordinatorEpoch()).isEqualTo(COORDINATOR_EPOCH);
    }

    @Test
    void cleanRestartKeepsOpenTransactionsAndTheAbortedIndex() throws IOException {
        open(Map.of(), true);
        produce(transactional(PID, EPOCH, 0, 2)); // 0..1
        marker(PID, EPOCH, COORDINATOR_EPOCH, ControlRecordType.ABORT); // 2
        produce(transactional(OTHER_PID, EPOCH, 0, 2)); // 3..4
        log.close();

        open(Map.of(), true);

        assertThat(log.lastStableOffset()).isEqualTo(3);
        assertThat(log.abortedTransactions(0, 5)).containsExactly(new AbortedTxn(PID, 0, 2, 3));
        marker(OTHER_PID, EPOCH, COORDINATOR_EPOCH, ControlRecordType.COMMIT);
        assertThat(log.lastStableOffset()).isEqualTo(6);
    }

    @Test
    void uncleanRestartRebuildsOpenTransactionsAndTheAbortedIndexFromTheLog() throws IOException {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_BYTES, "400");
        open(config, true);
        produce(transactional(PID, EPOCH, 0, 2));
        for (int i = 0; i < 6; i++) {
            produce(TestBatches.batch(2, NOW)); // rolls segments while the transaction is open
        }
        marker(PID, EPOCH, COORDINATOR_EPOCH, ControlRecordType.ABORT);
        produce(transactional(OTHER_PID, EPOCH, 0, 1));
        long otherStart = log.logEndOffset() - 1;
        long markerOffset = otherStart - 1;
        assertThat(log.segmentCount()).isGreaterThan(2);
        List<AbortedTxn> before = log.abortedTransactions(0, log.logEndOffset());
        log = null; // crash: no snapshot of the tail, recovery point at 0
        // Lose the index files too: recovery must rebuild them from the markers.
        try (var files = Files.list(logDir.resolve("payments-0"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(TransactionIndex.SUFFIX)).toList()) {
                Files.delete(file);
            }
        }
        Files.writeString(logDir.resolve("payments-0").resolve(PartitionLog.RECOVERY_POINT_CHECKPOINT), "0");

        open(config, false);

        assertThat(before).containsExactly(new AbortedTxn(PID, 0, markerOffset, otherStart));
        assertThat(log.abortedTransactions(0, log.logEndOffset())).isEqualTo(before);
        assertThat(log.abortedTransactions(markerOffset, log.logEndOffset())).isEqualTo(before);
        assertThat(log.lastStableOffset()).isEqualTo(otherStart);
        assertThat(log.producerState(OTHER_PID).orElseThrow().currentTxnFirstOffset()).isEqualTo(otherStart);
    }

    @Test
    void truncationReopensATransactionWhoseMarkerWasCutOff() throws IOException {
        open(Map.of(), true);
        produce(transactional(PID, EPOCH, 0, 2)); // 0..1
        marker(PID, EPOCH, COORDINATOR_EPOCH, ControlRecordType.ABORT); // 2
        assertThat(log.abortedTransactions(0, 3)).hasSize(1);

        log.truncateTo(2);

        assertThat(log.abortedTransactions(0, 3)).isEmpty();
        assertThat(log.lastStableOffset()).isZero();
        assertThat(log.producerState(PID).orElseThrow().inTransaction()).isTrue();
    }

    @Test
    void followerCopyOfMarkersTracksTransactionsLikeTheLeader() throws IOException {
        open(Map.of(), true);
        MemoryRecords data = transactional(PID, EPOCH, 0, 2);
        MemoryRecords abort = new TxnMarker(ControlRecordType.ABORT, COORDINATOR_EPOCH).toBatch(PID, EPOCH, NOW);
        abort.buffer().putLong(0, 2L); // the offset the leader gave it
        MemoryRecords both = TestBatches.concat(data, abort);
        // The base offset is patched after the CRC, which does not cover it.
        log.append(both, AppendContext.replication());
        log.updateHighWatermark(log.logEndOffset());

        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.abortedTransactions(0, 3)).containsExactly(new AbortedTxn(PID, 0, 2, 3));
        assertThat(log.lastStableOffset()).isEqualTo(3);
    }
}
