package io.gregor.protocol.gen;

import java.util.OptionalInt;

/** Maps spec field types to Java types and spec default values to Java expressions. */
final class TypeMapper {
    static final String LIST = "java.util.List";
    static final String ARRAY_LIST = "java.util.ArrayList";
    static final String WIRE = "io.gregor.protocol.wire.WireFormat";

    private TypeMapper() {
    }

    static String javaType(FieldType type) {
        return switch (type.kind()) {
            case BOOL -> "boolean";
            case INT8 -> "byte";
            case INT16 -> "short";
            case UINT16, INT32 -> "int";
            case UINT32, INT64 -> "long";
            case FLOAT64 -> "double";
            case STRING -> "String";
            case UUID -> "java.util.UUID";
            case BYTES -> "byte[]";
            case RECORDS -> "io.gregor.protocol.record.BaseRecords";
            case STRUCT -> type.structName();
            case ARRAY -> LIST + "<" + boxedType(type.element()) + ">";
        };
    }

    static String boxedType(FieldType type) {
        return switch (type.kind()) {
            case BOOL -> "Boolean";
            case INT8 -> "Byte";
            case INT16 -> "Short";
            case UINT16, INT32 -> "Integer";
            case UINT32, INT64 -> "Long";
            case FLOAT64 -> "Double";
            default -> javaType(type);
        };
    }

    /** True for Java primitive field types, compared with {@code ==}. */
    static boolean isPrimitive(FieldType type) {
        return switch (type.kind()) {
            case BOOL, INT8, INT16, UINT16, INT32, UINT32, INT64, FLOAT64 -> true;
            default -> false;
        };
    }

    /** Whether the field starts as (and reads as, when absent) {@code null}. */
    static boolean defaultsToNull(FieldSpec field) {
        String text = field.defaultText().orElse("");
        if (field.type().kind() == FieldType.Kind.RECORDS) {
            return !field.nullableVersions().isEmpty();
        }
        return field.type().canBeNullable() && text.equals("null");
    }

    /** A Java expression for the field's default value; a fresh object for mutable types. */
    static String defaultValue(FieldSpec field) {
        FieldType type = field.type();
        String text = field.defaultText().orElse("").trim();
        if (defaultsToNull(field)) {
            return "null";
        }
        return switch (type.kind()) {
            case BOOL -> text.isEmpty() ? "false" : Boolean.toString(Boolean.parseBoolean(text));
            case INT8 -> "(byte) " + integer(text, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16 -> "(short) " + integer(text, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT16 -> Long.toString(integer(text, 0, 65535));
            case INT32 -> Long.toString(integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT32 -> integer(text, 0, 0xFFFFFFFFL) + "L";
            case INT64 -> integer(text, Long.MIN_VALUE, Long.MAX_VALUE) + "L";
            case FLOAT64 -> text.isEmpty() ? "0.0" : Double.toString(Double.parseDouble(text));
            case STRING -> Names.stringLiteral(text);
            case UUID -> WIRE + ".ZERO_UUID";
            case BYTES -> WIRE + ".EMPTY_BYTES";
            case RECORDS -> "io.gregor.protocol.record.MemoryRecords.EMPTY";
            case STRUCT -> "new " + type.structName() + "()";
            case ARRAY -> "new " + ARRAY_LIST + "<>(0)";
        };
    }

    private static long integer(String text, long min, long max) {
        if (text.isEmpty()) {
            return 0;
        }
        boolean negative = text.startsWith("-");
        String digits = negative ? text.substring(1) : text;
        long value = digits.startsWith("0x") || digits.startsWith("0X")
                ? Long.parseUnsignedLong(digits.substring(2), 16)
                : Long.parseLong(digits);
        value = negative ? -value : value;
        if (value < min || value > max) {
            throw new IllegalArgumentException("default " + text + " out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    /** The encoded size of types whose size never varies. */
    static OptionalInt fixedSize(FieldType type) {
        return switch (type.kind()) {
            case BOOL, INT8 -> OptionalInt.of(1);
            case INT16, UINT16 -> OptionalInt.of(2);
            case INT32, UINT32 -> OptionalInt.of(4);
            case INT64, FLOAT64 -> OptionalInt.of(8);
            case UUID -> OptionalInt.of(16);
            default -> OptionalInt.empty();
        };
    }

    /** A Java condition that holds when {@code ref} differs from the field's default. */
    static String differsFromDefault(FieldSpec field, String ref) {
        FieldType type = field.type();
        if (isPrimitive(type)) {
            return ref + " != " + defaultValue(field);
        }
        if (defaultsToNull(field)) {
            return ref + " != null";
        }
        return switch (type.kind()) {
            case STRING, UUID -> "!" + defaultValue(field) + ".equals(" + ref + ")";
            case BYTES -> "(" + ref + " == null || " + ref + ".length != 0)";
            case RECORDS -> "(" + ref + " == null || " + ref + ".sizeInBytes() != 0)";
            case ARRAY -> "(" + ref + " == null || !" + ref + ".isEmpty())";
            case STRUCT -> "(" + ref + " == null || !" + ref + "." + StructWriter.HAS_ONLY_DEFAULTS + "())";
            default -> throw new IllegalStateException("unhandled type " + type);
        };
    }
}
