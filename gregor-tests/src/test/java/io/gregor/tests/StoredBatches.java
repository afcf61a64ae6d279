package io.gregor.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The record batches of one partition as Gregor stored them on disk ({@code <log.dirs>/<topic>-<partition>/*.log},
 * batches exactly as clients sent them), read by kafka-clients. Tests use it to see which
 * compression a client really used: clients may quietly send a batch uncompressed.
 */
final class StoredBatches {
    private StoredBatches() {
    }

    static List<CompressionType> compressionTypes(Path logDir, String topic, int partition) {
        return batches(logDir, topic, partition).stream().map(RecordBatch::compressionType).toList();
    }

    static List<RecordBatch> batches(Path logDir, String topic, int partition) {
        List<RecordBatch> batches = new ArrayList<>();
        try (Stream<Path> files = Files.list(logDir.resolve(topic + "-" + partition))) {
            for (Path segment : files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList()) {
                MemoryRecords records = MemoryRecords.readableRecords(ByteBuffer.wrap(Files.readAllBytes(segment)));
                records.batches().forEach(batches::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return batches;
    }
}
