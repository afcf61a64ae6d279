package io.gregor.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.OffsetCommitRequest;
import io.gregor.protocol.message.OffsetFetchRequest;
import io.gregor.protocol.message.OffsetFetchResponse;
import io.gregor.protocol.message.TxnOffsetCommitRequest;
import io.gregor.protocol.message.TxnOffsetCommitResponse;
import io.gregor.protocol.record.ControlRecordType;
import io.gregor.storage.txn.TxnMarker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TxnOffsetCommit: offsets pending until the transaction's marker, and rebuilt from the log. */
class TransactionalOffsetsTest {
    private static final String GROUP = "txn-group";
    private static final long PRODUCER = 77L;
    private static final short EPOCH = 2;
    private static final GroupCoordinatorConfig CONFIG = new GroupCoordinatorConfig(1, (short) 1, 0, 100, 60_000,
            3, 4096, 60_000, 20);

    private final InMemoryCoordinatorLog log = new InMemoryCoordinatorLog();
    private final List<ScheduledExecutorService> executors = new ArrayList<>();
    private CoordinatorShard shard;

    @BeforeEach
    void loadEmptyShard() {
        shard = loadedShard();
    }

    @AfterEach
    void stopExecutors() {
        executors.forEach(ScheduledExecutorService::shutdownNow);
    }

    @Test
    void committedTransactionMakesItsOffsetsVisible() {
        commit(5);
        assertThat(txnCommit(PRODUCER, 9)).isEqualTo(Errors.NONE);

        assertThat(fetch(false)).as("pending: the last stable commit").containsExactly(5L, (long) Errors.NONE.code());
        assertThat(fetch(true)).containsExactly(-1L, (long) Errors.UNSTABLE_OFFSET_COMMIT.code());

        marker(PRODUCER, true);

        await().atMost(5, TimeUnit.SECONDS).until(() -> fetch(true).equals(List.of(9L, (long) Errors.NONE.code())));
    }

    @Test
    void abortedTransactionDropsItsOffsets() {
        commit(5);
        assertThat(txnCommit(PRODUCER, 9)).isEqualTo(Errors.NONE);

        marker(PRODUCER, false);

        await().atMost(5, TimeUnit.SECONDS).until(() -> fetch(true).equals(List.of(5L, (long) Errors.NONE.code())));
    }

    @Test
    void markerOfAnotherProducerLeavesThePendingOffsetsPending() {
        assertThat(txnCommit(PRODUCER, 9)).isEqualTo(Errors.NONE);

        marker(PRODUCER + 1, true);
        commit(1); // queued behind the marker on the shard's thread

        assertThat(fetch(true)).containsExactly(-1L, (long) Errors.UNSTABLE_OFFSET_COMMIT.code());
    }

    @Test
    void replayKeepsOpenTransactionsPendingAndAppliesMarkersInTheLog() {
        assertThat(txnCommit(PRODUCER, 9)).isEqualTo(Errors.NONE);
        assertThat(txnCommit(PRODUCER + 1, 11)).isEqualTo(Errors.NONE);
        log.append(new TxnMarker(ControlRecordType.COMMIT, 0).toBatch(PRODUCER, EPOCH, 0));

        shard = loadedShard();

        assertThat(fetch(false)).containsExactly(9L, (long) Errors.NONE.code());
        assertThat(fetch(true)).as("the second producer's transaction is still open")
                .containsExactly(-1L, (long) Errors.UNSTABLE_OFFSET_COMMIT.code());
        log.append(new TxnMarker(ControlRecordType.ABORT, 0).toBatch(PRODUCER + 1, EPOCH, 0));

        shard = loadedShard();

        assertThat(fetch(true)).containsExactly(9L, (long) Errors.NONE.code());
    }

    @Test
    void memberOfAnOldGenerationCannotCommitTransactionally() {
        assertThat(txnCommit(PRODUCER, 9, "ghost", 3)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(log.batchCount()).isZero();
    }

    private CoordinatorShard loadedShard() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        executors.add(executor);
        CoordinatorShard loaded = new CoordinatorShard(log, executor, CONFIG, Clock.systemUTC());
        loaded.startLoading();
        await().atMost(5, TimeUnit.SECONDS).until(() -> loaded.submit(
                () -> CompletableFuture.completedFuture(Errors.NONE), Function.identity()).get() == Errors.NONE);
        return loaded;
    }

    private void marker(long producerId, boolean commit) {
        log.append(new TxnMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, 0)
                .toBatch(producerId, EPOCH, 0));
        shard.onTransactionMarker(producerId, commit);
    }

    private Errors txnCommit(long producerId, long offset) {
        return txnCommit(producerId, offset, "", -1);
    }

    private Errors txnCommit(long producerId, long offset, String memberId, int generation) {
        TxnOffsetCommitRequest request = new TxnOffsetCommitRequest().setTransactionalId("tx").setGroupId(GROUP)
                .setProducerId(producerId).setProducerEpoch(EPOCH).setMemberId(memberId).setGenerationId(generation);
        TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic topic =
                new TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic().setName("topic");
        topic.partitions().add(new TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition().setPartitionIndex(0)
                .setCommittedOffset(offset));
        request.topics().add(topic);
        TxnOffsetCommitResponse response = call(s -> s.transactionalOffsets().commit(request));
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    private void commit(long offset) {
        OffsetCommitRequest request = new OffsetCommitRequest().setGroupId(GROUP).setMemberId("")
                .setGenerationIdOrMemberEpoch(-1);
        OffsetCommitRequest.OffsetCommitRequestTopic topic = new OffsetCommitRequest.OffsetCommitRequestTopic()
                .setName("topic");
        topic.partitions().add(new OffsetCommitRequest.OffsetCommitRequestPartition().setPartitionIndex(0)
                .setCommittedOffset(offset));
        request.topics().add(topic);
        assertThat(call(s -> s.offsets().commitOffsets(request)).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.NONE.code());
    }

    /** [committed offset, error code] of partition 0, as OffsetFetch answers it. */
    private List<Long> fetch(boolean requireStable) {
        OffsetFetchRequest.OffsetFetchRequestGroup request = new OffsetFetchRequest.OffsetFetchRequestGroup()
                .setGroupId(GROUP);
        request.topics().add(new OffsetFetchRequest.OffsetFetchRequestTopics().setName("topic")
                .setPartitionIndexes(List.of(0)));
        OffsetFetchResponse.OffsetFetchResponseGroup response = call(s -> s.offsets().fetchOffsets(request)
                .thenApply(fetched -> requireStable ? s.transactionalOffsets().markUnstable(fetched) : fetched));
        OffsetFetchResponse.OffsetFetchResponsePartitions partition = response.topics().get(0).partitions().get(0);
        return List.of(partition.committedOffset(), (long) partition.errorCode());
    }

    private <R> R call(Function<CoordinatorShard, CompletableFuture<R>> operation) {
        try {
            return shard.submit(() -> operation.apply(shard).thenApply(Optional::of), error -> Optional.<R>empty())
                    .get(5, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("the shard answered with an error"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
