package io.gregor.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.protocol.gen.FieldType;
import io.gregor.protocol.gen.MessageSpec;
import io.gregor.protocol.gen.StructSpec;
import io.gregor.protocol.wire.ByteBufferWriter;
import io.gregor.protocol.wire.Message;
import io.gregor.protocol.wire.Readable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every generated message at every version both it and kafka-clients support, checked
 * byte-for-byte against Kafka's own generated classes in both directions, with several
 * pseudo-random fillings each.
 */
class KafkaCompatibilityTest {
    private static final int SEEDS = 4;

    @TestFactory
    Stream<DynamicNode> everyMessageMatchesKafkaAtEveryVersion() throws Exception {
        List<DynamicNode> containers = new ArrayList<>();
        for (MessageSpec spec : SpecCatalog.all()) {
            Class<?> ours = Class.forName("io.gregor.protocol.message." + spec.name());
            Class<?> kafka = kafkaClass(spec.name());
            org.apache.kafka.common.protocol.Message sample =
                    (org.apache.kafka.common.protocol.Message) kafka.getDeclaredConstructor().newInstance();
            short lowest = (short) Math.max(ours.getField("LOWEST_SUPPORTED_VERSION").getShort(null), sample.lowestSupportedVersion());
            short highest = (short) Math.min(ours.getField("HIGHEST_SUPPORTED_VERSION").getShort(null), sample.highestSupportedVersion());
            assertThat(highest).as(spec.name() + " shares versions with Kafka").isGreaterThanOrEqualTo(lowest);
            List<DynamicTest> tests = new ArrayList<>();
            for (short v = lowest; v <= highest; v++) {
                short version = v;
                tests.add(DynamicTest.dynamicTest("v" + version, () -> {
                    for (long seed = 0; seed < SEEDS; seed++) {
                        kafkaBytesSurviveOurReadAndWrite(spec, ours, kafka, version, seed);
                        ourBytesReadByKafkaWriteBackIdentically(spec, ours, kafka, version, seed);
                    }
                }));
            }
            containers.add(DynamicContainer.dynamicContainer(spec.name(), tests));
        }
        return containers.stream();
    }

    private static Class<?> kafkaClass(String name) throws ClassNotFoundException {
        try {
            return Class.forName("org.apache.kafka.common.message." + name + "Data");
        } catch (ClassNotFoundException e) {
            return Class.forName("org.apache.kafka.common.message." + name);
        }
    }

    /** Kafka writes; we read and write again: same bytes. Kafka reads ours: an equal object. */
    private static void kafkaBytesSurviveOurReadAndWrite(MessageSpec spec, Class<?> ours, Class<?> kafka, short version,
                                                         long seed) throws Exception {
        org.apache.kafka.common.protocol.Message original = newKafka(kafka);
        filler(spec, RandomMessageFiller.KAFKA, kafka, version, seed).fill(original, spec.asStruct());
        byte[] kafkaBytes = kafkaWrite(original, version);
        org.apache.kafka.common.protocol.Message normalized = kafkaRead(kafka, kafkaBytes, version);

        Message message = newOurs(ours);
        Readable in = new Readable(ByteBuffer.wrap(kafkaBytes));
        message.read(in, version);
        assertThat(in.remaining()).as("bytes left after reading %s v%d", spec.name(), version).isZero();
        byte[] ourBytes = ourWrite(message, version);

        assertThat(ourBytes).as("%s v%d seed %d re-encoded by us", spec.name(), version, seed).isEqualTo(kafkaBytes);
        assertThat(kafkaRead(kafka, ourBytes, version)).isEqualTo(normalized);
    }

    /** We fill and write; Kafka reads and writes again: same bytes; we read an equal object. */
    private static void ourBytesReadByKafkaWriteBackIdentically(MessageSpec spec, Class<?> ours, Class<?> kafka,
                                                                short version, long seed) throws Exception {
        Message original = newOurs(ours);
        filler(spec, RandomMessageFiller.GREGOR, ours, version, seed).fill(original, spec.asStruct());
        byte[] ourBytes = ourWrite(original, version);

        byte[] kafkaBytes = kafkaWrite(kafkaRead(kafka, ourBytes, version), version);
        assertThat(kafkaBytes).as("%s v%d seed %d re-encoded by Kafka", spec.name(), version, seed).isEqualTo(ourBytes);

        Message decoded = newOurs(ours);
        decoded.read(new Readable(ByteBuffer.wrap(kafkaBytes)), version);
        assertThat(ourWrite(decoded, version)).isEqualTo(ourBytes);
        if (!carriesRecords(spec)) {
            // MemoryRecords compares by identity, so only messages without records compare whole.
            assertThat(decoded).isEqualTo(original).hasSameHashCodeAs(original);
        }
    }

    private static boolean carriesRecords(MessageSpec spec) {
        return SpecCatalog.structsOf(spec).values().stream()
                .flatMap(struct -> struct.fields().stream())
                .anyMatch(field -> field.type().kind() == FieldType.Kind.RECORDS);
    }

    private static RandomMessageFiller filler(MessageSpec spec, RandomMessageFiller.Flavour flavour, Class<?> topLevel,
                                              short version, long seed) {
        Map<String, StructSpec> structs = SpecCatalog.structsOf(spec);
        return new RandomMessageFiller(seed * 31 + version, flavour, structs, topLevel, version);
    }

    private static org.apache.kafka.common.protocol.Message newKafka(Class<?> kafka) throws Exception {
        return (org.apache.kafka.common.protocol.Message) kafka.getDeclaredConstructor().newInstance();
    }

    private static Message newOurs(Class<?> ours) throws Exception {
        return (Message) ours.getDeclaredConstructor().newInstance();
    }

    static byte[] kafkaWrite(org.apache.kafka.common.protocol.Message message, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buffer), cache, version);
        assertThat(buffer.hasRemaining()).as("Kafka filled its computed size").isFalse();
        return buffer.array();
    }

    static org.apache.kafka.common.protocol.Message kafkaRead(Class<?> kafka, byte[] bytes, short version) throws Exception {
        org.apache.kafka.common.protocol.Message message = newKafka(kafka);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        message.read(new ByteBufferAccessor(buffer), version);
        assertThat(buffer.remaining()).as("bytes left after Kafka read").isZero();
        return message;
    }

    static byte[] ourWrite(Message message, short version) {
        ByteBufferWriter writer = new ByteBufferWriter();
        message.write(writer, version);
        return writer.toByteArray();
    }
}
