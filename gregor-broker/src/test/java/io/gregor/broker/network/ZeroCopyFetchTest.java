package io.gregor.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.metrics.NetworkMetrics;
import io.gregor.broker.security.Authorizer;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import io.gregor.storage.log.FileRecords;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest.Builder;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A fetch answered from a segment file goes out as a file region and arrives intact. */
class ZeroCopyFetchTest {
    private static final short FETCH_VERSION = 12;
    private static final int GARBAGE_BEFORE_BATCH = 37;

    @ParameterizedTest
    @EnumSource(NetworkTransport.class)
    void sendsRecordsStraightFromTheSegmentFileAndLeavesTheSegmentOpen(NetworkTransport transport, @TempDir Path dir)
            throws IOException {
        ByteBuffer batch = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), "from-disk".getBytes(StandardCharsets.UTF_8))).buffer();
        Path segment = dir.resolve("00000000000000000000.log");
        try (FileChannel writer = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writer.write(ByteBuffer.allocate(GARBAGE_BEFORE_BATCH));
            writer.write(batch.duplicate());
        }
        try (FileChannel segmentChannel = FileChannel.open(segment, StandardOpenOption.READ)) {
            FileRecords region = new FileRecords(segmentChannel, GARBAGE_BEFORE_BATCH, batch.remaining());
            HandlerRegistry registry = new HandlerRegistry().register(new SegmentFetchHandler(region));
            try (SocketServer server = new SocketServer(SocketServerConfig.withDefaults(
                    List.of(new SocketServerConfig.Listener("PLAINTEXT", "127.0.0.1", 0))), registry,
                    new NetworkMetrics(new MetricRegistry()), null, Authorizer.ALLOW_ALL, transport)) {
                server.start();

                for (int attempt = 0; attempt < 2; attempt++) {
                    var response = fetch(server.boundPort("PLAINTEXT"));

                    var records = (MemoryRecords) response.data().responses().get(0).partitions().get(0).records();
                    Record record = records.records().iterator().next();
                    assertThat(StandardCharsets.UTF_8.decode(record.value()).toString()).isEqualTo("from-disk");
                }
                assertThat(segmentChannel.isOpen()).as("segment channel survives the sends").isTrue();
            }
        }
    }

    private static org.apache.kafka.common.requests.FetchResponse fetch(int port) throws IOException {
        var request = Builder.forConsumer(FETCH_VERSION, 0, 1, Map.of()).build(FETCH_VERSION);
        RequestHeader header = new RequestHeader(ApiKeys.FETCH, FETCH_VERSION, "zero-copy-test", 1);
        ByteBuffer payload = request.serializeWithHeader(header);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            byte[] frame = new byte[4 + payload.remaining()];
            ByteBuffer.wrap(frame).putInt(payload.remaining()).put(payload);
            socket.getOutputStream().write(frame);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            return (org.apache.kafka.common.requests.FetchResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(answer), header);
        }
    }

    /** Answers every fetch with the same region of a segment file. */
    private record SegmentFetchHandler(FileRecords region) implements ApiHandler<FetchRequest, FetchResponse> {
        @Override
        public short apiKey() {
            return ApiKeys.FETCH.id;
        }

        @Override
        public short minVersion() {
            return FETCH_VERSION;
        }

        @Override
        public short maxVersion() {
            return FETCH_VERSION;
        }

        @Override
        public CompletableFuture<FetchResponse> handle(RequestContext context, FetchRequest request) {
            FetchResponse.PartitionData partition = new FetchResponse.PartitionData()
                    .setPartitionIndex(0).setHighWatermark(1).setRecords(region);
            FetchResponse.FetchableTopicResponse topic = new FetchResponse.FetchableTopicResponse()
                    .setTopic("orders").setPartitions(new ArrayList<>(List.of(partition)));
            return CompletableFuture.completedFuture(new FetchResponse().setResponses(new ArrayList<>(List.of(topic))));
        }
    }
}
