package io.gregor.protocol.message;

import io.gregor.protocol.gen.FieldSpec;
import io.gregor.protocol.gen.FieldType;
import io.gregor.protocol.gen.StructSpec;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fills a generated message object (Kafka's or ours) with pseudo-random values through its
 * setters, guided by the spec: only fields that exist at the version, null only where the
 * version allows it, unsigned types within range. The flavour supplies what differs between
 * the two code bases (UUID, bytes, records and collection types).
 */
final class RandomMessageFiller {
    interface Flavour {
        Object uuid(long msb, long lsb);

        Object bytes(byte[] bytes, Class<?> parameterType);

        Object records(byte[] bytes);

        Collection<Object> newCollection(Class<?> parameterType) throws ReflectiveOperationException;
    }

    private static final int[] CODE_POINTS = "abcxyzABC0129-_.é中😀".codePoints().toArray();

    private final Random random;
    private final Flavour flavour;
    private final Map<String, StructSpec> structs;
    private final Class<?> topLevel;
    private final short version;

    RandomMessageFiller(long seed, Flavour flavour, Map<String, StructSpec> structs, Class<?> topLevel, short version) {
        this.random = new Random(seed);
        this.flavour = flavour;
        this.structs = structs;
        this.topLevel = topLevel;
        this.version = version;
    }

    void fill(Object target, StructSpec struct) throws ReflectiveOperationException {
        for (FieldSpec field : struct.fields()) {
            if (!field.versions().contains(version)) {
                continue;
            }
            Method setter = setter(target.getClass(), "set" + field.name());
            boolean nullable = field.nullableVersions().contains(version);
            setter.invoke(target, value(field.type(), nullable, setter.getParameterTypes()[0]));
        }
    }

    private static Method setter(Class<?> type, String name) {
        for (Method method : type.getMethods()) {
            if (method.getName().equalsIgnoreCase(name) && method.getParameterCount() == 1) {
                return method;
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no setter " + name);
    }

    private Object value(FieldType type, boolean nullable, Class<?> parameterType) throws ReflectiveOperationException {
        if (nullable && random.nextInt(5) == 0) {
            return null;
        }
        return switch (type.kind()) {
            case BOOL -> random.nextBoolean();
            case INT8 -> (byte) random.nextInt();
            case INT16 -> (short) random.nextInt();
            case UINT16 -> random.nextInt(65536);
            case INT32 -> random.nextInt();
            case UINT32 -> random.nextLong() & 0xFFFFFFFFL;
            case INT64 -> random.nextLong();
            case FLOAT64 -> random.nextDouble() * 1e6;
            case STRING -> string();
            case UUID -> flavour.uuid(random.nextLong(), random.nextLong());
            case BYTES -> flavour.bytes(bytes(), parameterType);
            case RECORDS -> flavour.records(bytes());
            case STRUCT -> struct(type.structName());
            case ARRAY -> array(type.element(), parameterType);
        };
    }

    private Object struct(String name) throws ReflectiveOperationException {
        Object struct = Class.forName(topLevel.getName() + "$" + name).getDeclaredConstructor().newInstance();
        fill(struct, structs.get(name));
        return struct;
    }

    private Object array(FieldType element, Class<?> parameterType) throws ReflectiveOperationException {
        Collection<Object> collection = flavour.newCollection(parameterType);
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
            collection.add(value(element, false, null));
        }
        return collection;
    }

    private String string() {
        int length = random.nextInt(12);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.appendCodePoint(CODE_POINTS[random.nextInt(CODE_POINTS.length)]);
        }
        return s.toString();
    }

    private byte[] bytes() {
        byte[] bytes = new byte[random.nextInt(20)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Kafka's generated classes: Uuid, ByteBuffer for zero-copy bytes, its own collections. */
    static final Flavour KAFKA = new Flavour() {
        @Override
        public Object uuid(long msb, long lsb) {
            return new org.apache.kafka.common.Uuid(msb, lsb);
        }

        @Override
        public Object bytes(byte[] bytes, Class<?> parameterType) {
            return parameterType == ByteBuffer.class ? ByteBuffer.wrap(bytes) : bytes;
        }

        @Override
        public Object records(byte[] bytes) {
            return org.apache.kafka.common.record.MemoryRecords.readableRecords(ByteBuffer.wrap(bytes));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Collection<Object> newCollection(Class<?> parameterType) throws ReflectiveOperationException {
            if (parameterType == List.class) {
                return new ArrayList<>();
            }
            return (Collection<Object>) parameterType.getDeclaredConstructor().newInstance();
        }
    };

    /** Our generated classes. */
    static final Flavour GREGOR = new Flavour() {
        @Override
        public Object uuid(long msb, long lsb) {
            return new java.util.UUID(msb, lsb);
        }

        @Override
        public Object bytes(byte[] bytes, Class<?> parameterType) {
            return bytes;
        }

        @Override
        public Object records(byte[] bytes) {
            return new io.gregor.protocol.record.MemoryRecords(ByteBuffer.wrap(bytes));
        }

        @Override
        public Collection<Object> newCollection(Class<?> parameterType) {
            return new ArrayList<>();
        }
    };
}
