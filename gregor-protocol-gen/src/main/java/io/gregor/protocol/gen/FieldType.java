package io.gregor.protocol.gen;

/**
 * The "type" of a field: a primitive ({@code int32}, {@code string}, ...), a struct name, or an
 * array of either ({@code []int32}, {@code []TopicData}).
 */
public record FieldType(Kind kind, String structName, FieldType element) {

    public enum Kind {
        BOOL, INT8, INT16, UINT16, INT32, UINT32, INT64, FLOAT64, STRING, UUID, BYTES, RECORDS, STRUCT, ARRAY
    }

    public static FieldType parse(String text) {
        if (text.startsWith("[]")) {
            return new FieldType(Kind.ARRAY, null, parse(text.substring(2)));
        }
        return switch (text) {
            case "bool" -> primitive(Kind.BOOL);
            case "int8" -> primitive(Kind.INT8);
            case "int16" -> primitive(Kind.INT16);
            case "uint16" -> primitive(Kind.UINT16);
            case "int32" -> primitive(Kind.INT32);
            case "uint32" -> primitive(Kind.UINT32);
            case "int64" -> primitive(Kind.INT64);
            case "float64" -> primitive(Kind.FLOAT64);
            case "string" -> primitive(Kind.STRING);
            case "uuid" -> primitive(Kind.UUID);
            case "bytes" -> primitive(Kind.BYTES);
            case "records" -> primitive(Kind.RECORDS);
            default -> {
                if (!Character.isUpperCase(text.charAt(0))) {
                    throw new IllegalArgumentException("unknown field type " + text);
                }
                yield new FieldType(Kind.STRUCT, text, null);
            }
        };
    }

    private static FieldType primitive(Kind kind) {
        return new FieldType(kind, null, null);
    }

    public boolean isArray() {
        return kind == Kind.ARRAY;
    }

    public boolean isStruct() {
        return kind == Kind.STRUCT;
    }

    /** The struct name of a struct or array-of-struct type. */
    @Override
    public String structName() {
        return isArray() ? element.structName() : structName;
    }

    /** Types whose values may be null on the wire when the version allows it. */
    public boolean canBeNullable() {
        return switch (kind) {
            case STRING, BYTES, RECORDS, ARRAY, STRUCT -> true;
            default -> false;
        };
    }
}
