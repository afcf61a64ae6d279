package io.gregor.broker.txn.coordinator;

import io.gregor.protocol.api.TopicPartition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Gregor's encoding of the records in {@code __transaction_state}: one record per state change of
 * a transactional id, keyed by that id so that compaction keeps exactly its latest state; a null
 * value (tombstone) is an expired id.
 *
 * <pre>
 * key   := int16 version(0), string transactionalId
 * value := int16 version(0), int64 producerId, int64 previousProducerId, int16 producerEpoch,
 *          int16 lastProducerEpoch, int32 timeoutMs, int8 state, int64 startTimeMs,
 *          int64 lastUpdateTimeMs, int8 transactionVersion, int32 count, count * (string topic, int32 partition)
 * string := int16 length + UTF-8
 * </pre>
 *
 * <p>The layout is our own, not Kafka's: the topic is only read by Gregor.
 */
public final class TransactionRecords {
    private static final short KEY_VERSION = 0;
    private static final short VALUE_VERSION = 0;

    private TransactionRecords() {
    }

    public static byte[] key(String transactionalId) {
        byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 2 + id.length).putShort(KEY_VERSION).putShort((short) id.length).put(id).array();
    }

    public static byte[] value(TransactionMetadata metadata) {
        int size = 2 + 8 + 8 + 2 + 2 + 4 + 1 + 8 + 8 + 1 + 4;
        byte[][] topics = new byte[metadata.partitions().size()][];
        int i = 0;
        for (TopicPartition partition : metadata.partitions()) {
            topics[i] = partition.topic().getBytes(StandardCharsets.UTF_8);
            size += 2 + topics[i].length + 4;
            i++;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size)
                .putShort(VALUE_VERSION)
                .putLong(metadata.producerId())
                .putLong(metadata.previousProducerId())
                .putShort(metadata.producerEpoch())
                .putShort(metadata.lastProducerEpoch())
                .putInt(metadata.timeoutMs())
                .put(metadata.state().code())
                .putLong(metadata.startTimeMs())
                .putLong(metadata.lastUpdateTimeMs())
                .put(metadata.transactionVersion())
                .putInt(metadata.partitions().size());
        i = 0;
        for (TopicPartition partition : metadata.partitions()) {
            buffer.putShort((short) topics[i].length).put(topics[i]).putInt(partition.partition());
            i++;
        }
        return buffer.array();
    }

    /** The transactional id a record is about. */
    public static String transactionalId(ByteBuffer key) {
        try {
            ByteBuffer k = key.duplicate();
            k.getShort();
            return string(k);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("Malformed __transaction_state key", e);
        }
    }

    /** The state a record holds; empty for a tombstone. */
    public static Optional<TransactionMetadata> metadata(String transactionalId, Optional<ByteBuffer> value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            ByteBuffer v = value.get().duplicate();
            v.getShort();
            long producerId = v.getLong();
            long previousProducerId = v.getLong();
            short epoch = v.getShort();
            short lastEpoch = v.getShort();
            int timeoutMs = v.getInt();
            TransactionState state = TransactionState.ofCode(v.get());
            long start = v.getLong();
            long lastUpdate = v.getLong();
            byte version = v.get();
            int count = v.getInt();
            Set<TopicPartition> partitions = new HashSet<>();
            for (int i = 0; i < count; i++) {
                partitions.add(new TopicPartition(string(v), v.getInt()));
            }
            return Optional.of(new TransactionMetadata(transactionalId, producerId, previousProducerId, epoch,
                    lastEpoch, timeoutMs, state, partitions, start, lastUpdate, version));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("Malformed __transaction_state value of " + transactionalId, e);
        }
    }

    private static String string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getShort()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
