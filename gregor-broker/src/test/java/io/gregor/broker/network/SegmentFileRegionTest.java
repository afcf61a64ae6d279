package io.gregor.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentFileRegionTest {

    @Test
    void transfersItsSliceOfTheSegmentAndLeavesTheSegmentChannelOpenWhenReleased(@TempDir Path dir) throws IOException {
        Path segment = Files.write(dir.resolve("00000000000000000000.log"), "0123456789".getBytes(StandardCharsets.US_ASCII));
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            SegmentFileRegion region = new SegmentFileRegion(channel, 2, 5);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();

            long transferred = region.transferTo(Channels.newChannel(sent), 0);
            region.release();

            assertThat(transferred).isEqualTo(5);
            assertThat(sent.toString(StandardCharsets.US_ASCII)).isEqualTo("23456");
            assertThat(channel.isOpen()).isTrue();
            assertThat(channel.read(ByteBuffer.allocate(1), 0)).isEqualTo(1);
        }
    }
}
