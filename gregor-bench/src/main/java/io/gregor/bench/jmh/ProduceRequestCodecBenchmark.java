package io.gregor.bench.jmh;

import io.gregor.protocol.message.ProduceRequest;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The generated ProduceRequest codec at version 13 (what Kafka 4.1 clients send): a request with
 * one 64 KB batch for each of 3 partitions, as ProducerPerformance sends in the compare run.
 * Decoding slices the records out of the input (no copy); encoding copies them into a heap
 * buffer of the right size (so that the figure is the codec's, not the buffer's growth).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ProduceRequestCodecBenchmark {
    static final short VERSION = 13;
    private static final int PARTITIONS = 3;

    private ProduceRequest request;
    private ByteBuffer encoded;
    private int encodedSize = 256;

    @Setup
    public void setUp() {
        ByteBuffer batch = Batches.batchOf64Kb();
        List<ProduceRequest.PartitionProduceData> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new ProduceRequest.PartitionProduceData()
                    .setIndex(p)
                    .setRecords(new MemoryRecords(batch.duplicate())));
        }
        request = new ProduceRequest()
                .setAcks((short) 1)
                .setTimeoutMs(30_000)
                .setTopicData(new ArrayList<>(List.of(new ProduceRequest.TopicProduceData()
                        .setName("produce-acks1-none")
                        .setTopicId(UUID.randomUUID())
                        .setPartitionData(partitions))));
        encoded = encode().toByteBuffer();
        encodedSize = encoded.remaining();
    }

    @Benchmark
    public ByteBufferWriter encode() {
        ByteBufferWriter writer = new ByteBufferWriter(encodedSize);
        request.write(writer, VERSION);
        return writer;
    }

    @Benchmark
    public ProduceRequest decode() {
        ProduceRequest decoded = new ProduceRequest();
        decoded.read(new Readable(encoded.duplicate()), VERSION);
        return decoded;
    }
}
