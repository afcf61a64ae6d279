package io.gregor.bench.jmh;

import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.wire.ByteBufferWriter;
import io.gregor.protocol.wire.Readable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The generated Fetch codec at version 17 (Kafka 4.1 consumers): decode and encode of a
 * consumer's FetchRequest for {@code partitions} partitions, and encode of a FetchResponse
 * carrying one 64 KB batch per partition, each into a heap buffer of the right size. The broker itself sends records
 * from the page cache with sendfile, so the response figure is the cost of the fields plus one
 * copy of the records, an upper bound of what the broker pays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FetchCodecBenchmark {
    static final short VERSION = 17;

    @Param({"3", "1000"})
    public int partitions;

    private FetchRequest request;
    private ByteBuffer encodedRequest;
    private FetchResponse response;
    private int requestSize = 256;
    private int responseSize = 256;

    @Setup
    public void setUp() {
        UUID topicId = UUID.randomUUID();
        List<FetchRequest.FetchPartition> fetchPartitions = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            fetchPartitions.add(new FetchRequest.FetchPartition()
                    .setPartition(p)
                    .setCurrentLeaderEpoch(0)
                    .setFetchOffset(123_456L + p)
                    .setLogStartOffset(-1)
                    .setPartitionMaxBytes(1024 * 1024));
        }
        request = new FetchRequest()
                .setReplicaId(-1)
                .setMaxWaitMs(500)
                .setMinBytes(1)
                .setMaxBytes(50 * 1024 * 1024)
                .setTopics(new ArrayList<>(List.of(new FetchRequest.FetchTopic()
                        .setTopic("produce-acks1-none")
                        .setTopicId(topicId)
                        .setPartitions(fetchPartitions))));
        encodedRequest = encodeRequest().toByteBuffer();
        requestSize = encodedRequest.remaining();

        ByteBuffer batch = Batches.batchOf64Kb();
        List<FetchResponse.PartitionData> data = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            data.add(new FetchResponse.PartitionData()
                    .setPartitionIndex(p)
                    .setHighWatermark(1_000_000)
                    .setRecords(new MemoryRecords(batch.duplicate())));
        }
        response = new FetchResponse().setResponses(new ArrayList<>(List.of(new FetchResponse.FetchableTopicResponse()
                .setTopic("produce-acks1-none")
                .setTopicId(topicId)
                .setPartitions(data))));
        responseSize = encodeResponse().size();
    }

    @Benchmark
    public ByteBufferWriter encodeRequest() {
        ByteBufferWriter writer = new ByteBufferWriter(requestSize);
        request.write(writer, VERSION);
        return writer;
    }

    @Benchmark
    public FetchRequest decodeRequest() {
        FetchRequest decoded = new FetchRequest();
        decoded.read(new Readable(encodedRequest.duplicate()), VERSION);
        return decoded;
    }

    @Benchmark
    public ByteBufferWriter encodeResponse() {
        ByteBufferWriter writer = new ByteBufferWriter(responseSize);
        response.write(writer, VERSION);
        return writer;
    }
}
