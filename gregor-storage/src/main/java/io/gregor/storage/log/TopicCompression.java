package io.gregor.storage.log;

import io.gregor.protocol.record.CompressionType;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import io.gregor.protocol.record.RecordBatch;
import io.gregor.protocol.record.TimestampType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A topic's {@code compression.type} other than {@code producer}: a client's batches in another
 * codec are rewritten in the topic's before they are appended, as Kafka's broker recompresses
 * them. A rewritten batch keeps its records' offset deltas, timestamps, keys, values and headers,
 * and its producer id, epoch, base sequence and transactional flag, so idempotence and
 * transactions see the same batch. Transaction markers are never rewritten. With
 * {@code producer}, the default, nothing here runs: batches are stored as they came.
 */
final class TopicCompression {
    /**
     * How far a batch may inflate, relative to message.max.bytes, before it is refused as corrupt
     * rather than decompressed into memory: a producer's batch is bounded by its batch.size.
     */
    private static final int MAX_INFLATION = 64;

    private TopicCompression() {
    }

    /** The codec {@code compression.type} asks batches to be stored in; empty for {@code producer}. */
    static Optional<CompressionType> target(String compressionType) {
        return switch (compressionType) {
            case "producer" -> Optional.empty();
            case "uncompressed" -> Optional.of(CompressionType.NONE);
            default -> Optional.of(CompressionType.forConfigName(compressionType));
        };
    }

    /**
     * The batches of {@code buffer} (validated, from a client) with every data batch in
     * {@code target}'s codec: {@code buffer} itself when all already are.
     *
     * @throws io.gregor.protocol.record.CorruptRecordException when a batch inflates beyond its bound
     */
    static ByteBuffer recompress(ByteBuffer buffer, CompressionType target, int maxMessageBytes) {
        if (!anyToRewrite(buffer, target)) {
            return buffer;
        }
        int maxUncompressed = (int) Math.min(Integer.MAX_VALUE - 64, (long) maxMessageBytes * MAX_INFLATION);
        List<ByteBuffer> batches = new ArrayList<>();
        int size = 0;
        RecordBatch batch = RecordBatch.at(buffer, buffer.position());
        for (int p = buffer.position(); p < buffer.limit(); p += batch.sizeInBytes()) {
            batch.wrap(buffer, p);
            ByteBuffer kept = needsRewrite(batch, target) ? rewrite(batch, target, maxUncompressed) : batch.slice();
            batches.add(kept);
            size += kept.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        batches.forEach(out::put);
        return out.flip();
    }

    private static boolean anyToRewrite(ByteBuffer buffer, CompressionType target) {
        RecordBatch batch = RecordBatch.at(buffer, buffer.position());
        for (int p = buffer.position(); p < buffer.limit(); p += batch.sizeInBytes()) {
            batch.wrap(buffer, p);
            if (needsRewrite(batch, target)) {
                return true;
            }
        }
        return false;
    }

    private static boolean needsRewrite(RecordBatch batch, CompressionType target) {
        return !batch.isControlBatch() && batch.compressionType() != target;
    }

    private static ByteBuffer rewrite(RecordBatch batch, CompressionType target, int maxUncompressed) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder()
                .compression(target)
                .baseOffset(batch.baseOffset())
                .partitionLeaderEpoch(batch.partitionLeaderEpoch())
                .producer(batch.producerId(), batch.producerEpoch(), batch.baseSequence())
                .transactional(batch.isTransactional())
                .keepLastOffset(batch.lastOffset());
        if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
            builder.logAppendTime(batch.maxTimestamp());
        }
        batch.forEachRecord(maxUncompressed, record -> builder.appendWithOffset(record.offset(), record.timestamp(),
                record.key(), record.value(), record.headers()));
        return builder.build().buffer();
    }
}
