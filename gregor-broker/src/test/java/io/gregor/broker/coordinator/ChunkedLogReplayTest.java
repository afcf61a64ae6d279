package io.gregor.broker.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import io.gregor.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** Reading a coordinator's partition back chunk by chunk, with requests able to run between chunks. */
class ChunkedLogReplayTest {
    private final List<Long> replayed = new ArrayList<>();
    private final List<Optional<Throwable>> done = new ArrayList<>();
    private final Deque<Runnable> queue = new ArrayDeque<>();

    @Test
    void replaysEveryBatchInOrderOneChunkAtATime() {
        ChunkedLogReplay replay = replay(oneBatchPerRead(10, batch(10, 1), batch(11, 2), batch(13, 1)));

        replay.loadNextChunk(queue::add);

        assertThat(replayed).containsExactly(10L);
        assertThat(queue).hasSize(1);
        assertThat(done).isEmpty();
        runQueue();
        assertThat(replayed).containsExactly(10L, 11L, 13L);
        assertThat(done).containsExactly(Optional.empty());
    }

    @Test
    void anEmptyLogIsLoadedAtOnce() {
        ChunkedLogReplay replay = replay(oneBatchPerRead(0));

        replay.loadNextChunk(queue::add);

        assertThat(replayed).isEmpty();
        assertThat(queue).isEmpty();
        assertThat(done).containsExactly(Optional.empty());
    }

    @Test
    void aChunkWithoutOneWholeBatchStopsTheReplay() {
        ByteBuffer whole = batch(0, 1).buffer();
        ByteBuffer truncated = whole.duplicate().limit(whole.limit() - 1).slice();

        replay(reading(0, offset -> truncated.duplicate())).loadNextChunk(queue::add);

        assertThat(replayed).isEmpty();
        assertThat(done).hasSize(1);
        assertThat(done.get(0)).get().asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("No whole batch at offset 0");
    }

    @Test
    void aFailedReadStopsTheReplay() {
        IllegalStateException failure = new IllegalStateException("disk gone");

        replay(reading(0, offset -> {
            throw failure;
        })).loadNextChunk(queue::add);

        assertThat(done).containsExactly(Optional.of(failure));
        assertThat(queue).isEmpty();
    }

    private ChunkedLogReplay replay(CoordinatorLog log) {
        return new ChunkedLogReplay(log, (RecordBatch batch) -> replayed.add(batch.baseOffset()), done::add);
    }

    private void runQueue() {
        for (int i = 0; i < 100 && !queue.isEmpty(); i++) {
            queue.poll().run();
        }
    }

    private static MemoryRecords batch(long baseOffset, int records) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().baseOffset(baseOffset);
        for (int i = 0; i < records; i++) {
            builder.append(0, ("key" + i).getBytes(StandardCharsets.UTF_8), null);
        }
        return builder.build();
    }

    /** A log from {@code logStartOffset} whose reads give the one batch holding the offset asked for. */
    private static CoordinatorLog oneBatchPerRead(long logStartOffset, MemoryRecords... batches) {
        return reading(logStartOffset, offset -> {
            for (MemoryRecords records : batches) {
                if (records.batches().iterator().next().lastOffset() >= offset) {
                    return records.buffer().duplicate();
                }
            }
            return ByteBuffer.allocate(0);
        });
    }

    /** A log from {@code logStartOffset} whose reads at an offset answer {@code read}. */
    private static CoordinatorLog reading(long logStartOffset, LongFunction<ByteBuffer> read) {
        return new CoordinatorLog() {
            @Override
            public TopicPartition topicPartition() {
                return new TopicPartition("__transaction_state", 0);
            }

            @Override
            public CompletableFuture<?> append(MemoryRecords records) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long logStartOffset() {
                return logStartOffset;
            }

            @Override
            public ByteBuffer read(long offset, int maxBytes) {
                return read.apply(offset);
            }
        };
    }
}
