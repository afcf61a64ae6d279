package io.gregor.protocol.record;

/**
 * The value of a {@code records} field in a Kafka message: a run of record batches, held
 * either in memory ({@link MemoryRecords}) or, on the fetch path, as a region of a log
 * segment file that the network layer sends without copying.
 */
public interface BaseRecords {
    /** Size of the encoded batches in bytes. */
    int sizeInBytes();
}
