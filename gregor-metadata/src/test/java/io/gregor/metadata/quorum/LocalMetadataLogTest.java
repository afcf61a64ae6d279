package io.gregor.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.metadata.record.ConfigRecord;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.TopicRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMetadataLogTest {
    @TempDir
    Path logDir;

    private final List<MetadataRecord> first = List.of(new TopicRecord("a", new UUID(1, 1)),
            new ConfigRecord(ConfigResource.topic("a"), "retention.ms", Optional.of("1")));
    private final List<MetadataRecord> second = List.of(new TopicRecord("b", new UUID(2, 2)));

    @Test
    void restartReplaysCommittedBatchesInOrder() throws IOException {
        List<MetadataBatch> live = new ArrayList<>();
        try (LocalMetadataLog log = new LocalMetadataLog(logDir)) {
            log.start(live::add);
            assertThat(log.append(first)).isCompletedWithValue(0L);
            assertThat(log.append(second)).isCompletedWithValue(2L);
        }

        List<MetadataBatch> replayed = new ArrayList<>();
        try (LocalMetadataLog log = new LocalMetadataLog(logDir)) {
            log.start(replayed::add);
            assertThat(replayed).containsExactlyElementsOf(live);
            assertThat(log.append(second)).isCompletedWithValue(3L);
        }
        assertThat(replayed).extracting(MetadataBatch::baseOffset).containsExactly(0L, 2L, 3L);
        assertThat(logDir.resolve("__cluster_metadata-0").resolve("metadata.log")).exists();
    }

    @Test
    void tornLastBatchIsTruncatedAndLaterAppendsFollowTheIntactOnes() throws IOException {
        Path file = writeTwoBatches();
        long intact = LocalMetadataLog.encode(new MetadataBatch(0, first)).remaining();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(file) - 3);
        }

        List<MetadataBatch> replayed = new ArrayList<>();
        try (LocalMetadataLog log = new LocalMetadataLog(logDir)) {
            log.start(replayed::add);
            assertThat(replayed).containsExactly(new MetadataBatch(0, first));
            assertThat(Files.size(file)).isEqualTo(intact);
            assertThat(log.append(second)).isCompletedWithValue(2L);
        }

        List<MetadataBatch> afterRepair = new ArrayList<>();
        try (LocalMetadataLog log = new LocalMetadataLog(logDir)) {
            log.start(afterRepair::add);
        }
        assertThat(afterRepair).containsExactly(new MetadataBatch(0, first), new MetadataBatch(2, second));
    }

    @Test
    void batchWithABadChecksumEndsTheLog() throws IOException {
        Path file = writeTwoBatches();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x5A;
        Files.write(file, bytes);

        List<MetadataBatch> replayed = new ArrayList<>();
        try (LocalMetadataLog log = new LocalMetadataLog(logDir)) {
            log.start(replayed::add);
        }
        assertThat(replayed).containsExactly(new MetadataBatch(0, first));
    }

    private Path writeTwoBatches() throws IOException {
        try (LocalMetadataLog log = new LocalMetadataLog(logDir)) {
            log.start(batch -> { });
            log.append(first);
            log.append(second);
            return log.file();
        }
    }
}
