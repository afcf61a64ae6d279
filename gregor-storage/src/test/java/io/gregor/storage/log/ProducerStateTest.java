package io.gregor.storage.log;

import static io.gregor.storage.log.TestBatches.batch;
import static io.gregor.storage.log.TestBatches.idempotent;
import static io.gregor.storage.log.TestBatches.idempotentAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.storage.producer.BatchMetadata;
import io.gregor.storage.producer.ProducerSnapshotFile;
import io.gregor.storage.producer.ProducerStateEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotent-producer checks on append, and the durability of producer state. */
class ProducerStateTest {
    static final long NOW = 1_700_000_000_000L;
    static final long PID = 4711L;
    static final short EPOCH = 0;

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
        log = PartitionLog.open(partitionDir(), LogConfig.create(Map.of(), overrides), LogEnvironment.standalone(clock),
                clean);
        return log;
    }

    Path partitionDir() {
        return logDir.resolve("orders-0");
    }

    LogAppendInfo append(MemoryRecords records) {
        return log.append(records, AppendContext.leader(1));
    }

    LogAppendInfo send(short epoch, int baseSequence, int count) {
        return append(idempotent(PID, epoch, baseSequence, count, NOW));
    }

    Errors refusal(short epoch, int baseSequence, int count) {
        long endBefore = log.logEndOffset();
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> send(epoch, baseSequence, count));
        assertThat(thrown).isInstanceOf(ApiException.class);
        assertThat(log.logEndOffset()).as("a refused batch is not written").isEqualTo(endBefore);
        return ((ApiException) thrown).error();
    }

    List<Long> snapshotOffsets() throws IOException {
        try (Stream<Path> files = Files.list(partitionDir())) {
            return files.map(f -> ProducerSnapshotFile.parseOffset(f.getFileName().toString()))
                    .flatMap(java.util.Optional::stream).sorted().toList();
        }
    }

    /** The background fsync after a roll writes the recovery point; let it finish before faking a crash. */
    void awaitRolledSegmentsFlushed() {
        long activeBase = log.segments().get(log.segmentCount() - 1).baseOffset();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> log.recoveryPoint() == activeBase);
    }

    @Test
    void retriedBatchIsAcknowledgedWithItsOriginalOffsetsAndNotWrittenAgain() throws IOException {
        open(Map.of(), true);
        append(batch(3, NOW)); // a producer without id takes offsets 0..2
        LogAppendInfo first = send(EPOCH, 0, 5);
        send(EPOCH, 5, 5);

        LogAppendInfo retry = send(EPOCH, 0, 5);

        assertThat(first.duplicate()).isFalse();
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(3);
        assertThat(retry.lastOffset()).isEqualTo(7);
        assertThat(retry.recordCount()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(13);
    }

    @Test
    void onlyTheLastFiveBatchesAreRecognisedAsDuplicates() throws IOException {
        open(Map.of(), true);
        for (int seq = 0; seq < 6; seq++) {
            send(EPOCH, seq, 1);
        }

        assertThat(send(EPOCH, 1, 1).firstOffset()).isEqualTo(1);
        assertThat(refusal(EPOCH, 0, 1)).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void sequenceGapIsRejectedAsOutOfOrder() throws IOException {
        open(Map.of(), true);
        send(EPOCH, 0, 5);

        assertThat(refusal(EPOCH, 6, 1)).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(send(EPOCH, 5, 1).firstOffset()).isEqualTo(5);
    }

    @Test
    void olderEpochIsRejectedAsInvalidProducerEpoch() throws IOException {
        open(Map.of(), true);
        send((short) 1, 0, 2);
        send((short) 2, 0, 2);

        assertThat(refusal((short) 1, 2, 1)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void newEpochMustStartAtSequenceZero() throws IOException {
        open(Map.of(), true);
        send(EPOCH, 0, 3);

        assertThat(refusal((short) 1, 3, 1)).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(send((short) 1, 0, 1).duplicate()).isFalse();
        assertThat(log.producerState(PID).map(ProducerStateEntry::epoch)).contains((short) 1);
    }

    @Test
    void unknownProducerIsAcceptedAtAnySequence() throws IOException {
        open(Map.of(), true);

        assertThat(send(EPOCH, 42, 2).firstOffset()).isZero();
        assertThat(send(EPOCH, 44, 1).firstOffset()).isEqualTo(2);
    }

    @Test
    void sequenceWrapsToZeroAfterIntegerMaxValue() throws IOException {
        open(Map.of(), true);
        send(EPOCH, Integer.MAX_VALUE - 1, 3); // sequences MAX-1, MAX, 0

        assertThat(log.producerState(PID).orElseThrow().lastSeq()).contains(0);
        assertThat(send(EPOCH, 1, 1).firstOffset()).isEqualTo(3);
        LogAppendInfo retry = send(EPOCH, Integer.MAX_VALUE - 1, 3);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isZero();
    }

    @Test
    void laterBatchesOfOneAppendAreCheckedAgainstEarlierOnes() throws IOException {
        open(Map.of(), true);
        MemoryRecords inOrder = TestBatches.concat(idempotent(PID, EPOCH, 0, 2, NOW), idempotent(PID, EPOCH, 2, 2, NOW));
        MemoryRecords withGap = TestBatches.concat(idempotent(PID, EPOCH, 4, 2, NOW), idempotent(PID, EPOCH, 7, 2, NOW));

        assertThat(append(inOrder).lastOffset()).isEqualTo(3);
        assertThatThrownBy(() -> append(withGap)).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.producerState(PID).orElseThrow().lastSeq()).contains(3);
    }

    @Test
    void replicatedBatchesUpdateTheStateWithoutChecks() throws IOException {
        open(Map.of(), true);
        log.append(idempotentAt(0, PID, EPOCH, 7, 2, NOW), AppendContext.replication());
        log.append(idempotentAt(2, PID, EPOCH, 100, 2, NOW), AppendContext.replication());

        assertThat(log.producerState(PID).orElseThrow().batches())
                .containsExactly(new BatchMetadata(7, 8, 0, 1, NOW + 1), new BatchMetadata(100, 101, 2, 3, NOW + 1));
        assertThat(send(EPOCH, 100, 2).firstOffset()).isEqualTo(2);
    }

    @Test
    void stateSurvivesCleanCloseThroughASnapshotAtTheLogEnd() throws IOException {
        open(Map.of(), true);
        send(EPOCH, 0, 4);
        send(EPOCH, 4, 4);
        log.close();
        log = null;

        assertThat(snapshotOffsets()).containsExactly(8L);
        assertThat(partitionDir().resolve("00000000000000000008.snapshot")).exists();
        open(Map.of(), true);

        assertThat(send(EPOCH, 4, 4).firstOffset()).isEqualTo(4);
        assertThat(send(EPOCH, 4, 4).duplicate()).isTrue();
        assertThat(refusal(EPOCH, 9, 1)).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void stateIsRebuiltFromTheLogAfterAnUncleanStop() throws IOException {
        open(Map.of(), true);
        send(EPOCH, 0, 4);
        send(EPOCH, 4, 4);
        log = null; // crash: never closed, no snapshot

        open(Map.of(), false);

        assertThat(snapshotOffsets()).isEmpty();
        assertThat(send(EPOCH, 0, 4).duplicate()).isTrue();
        assertThat(send(EPOCH, 4, 4).firstOffset()).isEqualTo(4);
        assertThat(send(EPOCH, 8, 1).firstOffset()).isEqualTo(8);
    }

    @Test
    void rollsSnapshotTheStateKeepTwoSnapshotsAndRecoveryReplaysFromTheNewestTrustedOne() throws IOException {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_BYTES, "300");
        open(config, true);
        for (int seq = 0; seq < 20; seq += 2) {
            send(EPOCH, seq, 2);
        }
        assertThat(log.segmentCount()).isGreaterThan(3);
        List<Long> snapshots = snapshotOffsets();
        List<LogSegment> segments = log.segments();
        assertThat(snapshots).hasSize(2).containsExactly(segments.get(segments.size() - 2).baseOffset(),
                segments.get(segments.size() - 1).baseOffset());
        awaitRolledSegmentsFlushed();
        log = null; // crash
        // As if nothing after the first snapshot had been flushed: only the older snapshot is trusted.
        Files.writeString(partitionDir().resolve(PartitionLog.RECOVERY_POINT_CHECKPOINT),
                Long.toString(snapshots.get(0)));

        open(config, false);

        assertThat(log.producerState(PID).orElseThrow().lastSeq()).contains(19);
        assertThat(send(EPOCH, 14, 2).firstOffset()).isEqualTo(14);
        assertThat(send(EPOCH, 20, 1).firstOffset()).isEqualTo(20);
    }

    @Test
    void snapshotsAboveTheRecoveredLogEndAreDeleted() throws IOException {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_BYTES, "300");
        open(config, true);
        for (int seq = 0; seq < 20; seq += 2) {
            send(EPOCH, seq, 2);
        }
        List<LogSegment> segments = log.segments();
        long lostFrom = segments.get(segments.size() - 2).baseOffset();
        long activeBase = segments.get(segments.size() - 1).baseOffset();
        assertThat(snapshotOffsets()).containsExactly(lostFrom, activeBase);
        awaitRolledSegmentsFlushed();
        log = null;
        // As if the last two segments had never reached the disk.
        Files.writeString(partitionDir().resolve(PartitionLog.RECOVERY_POINT_CHECKPOINT), "0");
        for (long base : List.of(lostFrom, activeBase)) {
            for (String suffix : List.of(".log", ".index", ".timeindex")) {
                Files.deleteIfExists(partitionDir().resolve(String.format("%020d", base) + suffix));
            }
        }

        open(config, false);

        assertThat(log.logEndOffset()).isEqualTo(lostFrom);
        assertThat(snapshotOffsets()).containsExactly(lostFrom);
        assertThat(log.producerState(PID).orElseThrow().lastSeq()).contains((int) lostFrom - 1);
        assertThat(send(EPOCH, (int) lostFrom, 1).firstOffset()).isEqualTo(lostFrom);
    }

    @Test
    void unreadableSnapshotIsDeletedAndTheStateReplayedFromTheLog() throws IOException {
        open(Map.of(), true);
        send(EPOCH, 0, 4);
        log.close();
        log = null;
        Path snapshot = partitionDir().resolve("00000000000000000004.snapshot");
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length - 1] ^= 1;
        Files.write(snapshot, bytes);

        open(Map.of(), true);

        assertThat(snapshot).doesNotExist();
        assertThat(send(EPOCH, 0, 4).duplicate()).isTrue();
    }

    @Test
    void idleProducerExpiresAndIsThenAcceptedAsNew() throws IOException {
        open(Map.of(), true);
        send(EPOCH, 0, 2); // its last record is stamped NOW + 1
        clock.advance(1_000);

        assertThat(log.expireProducers(1_000)).isZero();
        clock.advance(1);
        assertThat(log.expireProducers(1_000)).isEqualTo(1);
        assertThat(log.producerState(PID)).isEmpty();
        assertThat(send(EPOCH, 10, 1).firstOffset()).isEqualTo(2);
    }

    @Test
    void truncationRebuildsTheStateOfTheBatchesKept() throws IOException {
        open(Map.of(), true);
        send(EPOCH, 0, 2);
        send(EPOCH, 2, 2);
        send(EPOCH, 4, 2);

        log.truncateTo(4);

        assertThat(log.producerState(PID).orElseThrow().lastSeq()).contains(3);
        assertThat(send(EPOCH, 4, 2).duplicate()).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(6);
    }
}
