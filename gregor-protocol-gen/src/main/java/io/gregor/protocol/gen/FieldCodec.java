package io.gregor.protocol.gen;

import static io.gregor.protocol.gen.TypeMapper.WIRE;

/**
 * Emits the statements that read or write one value of a field type. Version-dependent choices
 * (compact or classic encoding, nullability) arrive as Java conditions over {@code version}, so
 * the emitted code holds no interpretation of the spec at run time.
 */
final class FieldCodec {
    /** How a value is encoded at the versions where the emitted code runs. */
    record Encoding(String flexible, String nullable, String fieldName) {
        Encoding asTagged() {
            return new Encoding("true", nullable, fieldName);
        }
    }

    private FieldCodec() {
    }

    /**
     * Emits statements that read a value and pass it to {@code sink}, a format with one
     * {@code %s} for the value expression (e.g. {@code "this.x = %s;"}).
     */
    static void read(CodeBuffer code, FieldType type, String sink, Encoding enc, int depth) {
        String simple = simpleReadExpression(type, enc);
        if (simple != null) {
            code.line(sink.replace("%s", simple));
            return;
        }
        code.line("{");
        if (type.isStruct()) {
            String s = "s" + depth;
            if (enc.nullable().equals("false")) {
                code.line("%s %s = new %s();", type.structName(), s, type.structName());
                code.line("%s.read(in, version);", s);
                code.line(sink.replace("%s", s));
            } else {
                code.line("if ((%s) && in.readByte() < 0) {", enc.nullable());
                code.line(sink.replace("%s", "null"));
                code.line("} else {");
                code.line("%s %s = new %s();", type.structName(), s, type.structName());
                code.line("%s.read(in, version);", s);
                code.line(sink.replace("%s", s));
                code.line("}");
            }
            code.line("}");
            return;
        }
        FieldType element = type.element();
        String n = "n" + depth;
        String list = "list" + depth;
        String i = "i" + depth;
        code.line("int %s = %s.readArrayLength(in, %s, %s, \"%s\");", n, WIRE, enc.flexible(), enc.nullable(), enc.fieldName());
        code.line("if (%s < 0) {", n);
        code.line(sink.replace("%s", "null"));
        code.line("} else {");
        code.line("%s<%s> %s = new %s<>(%s.initialCapacity(%s, in));", TypeMapper.ARRAY_LIST,
                TypeMapper.boxedType(element), list, TypeMapper.ARRAY_LIST, WIRE, n);
        code.line("for (int %s = 0; %s < %s; %s++) {", i, i, n, i);
        read(code, element, list + ".add(%s);", new Encoding(enc.flexible(), "false", enc.fieldName()), depth + 1);
        code.line("}");
        code.line(sink.replace("%s", list));
        code.line("}");
        code.line("}");
    }

    private static String simpleReadExpression(FieldType type, Encoding enc) {
        String args = "in, " + enc.flexible() + ", " + enc.nullable() + ", \"" + enc.fieldName() + "\"";
        return switch (type.kind()) {
            case BOOL -> "in.readByte() != 0";
            case INT8 -> "in.readByte()";
            case INT16 -> "in.readShort()";
            case UINT16 -> "(in.readShort() & 0xFFFF)";
            case INT32 -> "in.readInt()";
            case UINT32 -> "(in.readInt() & 0xFFFFFFFFL)";
            case INT64 -> "in.readLong()";
            case FLOAT64 -> "in.readDouble()";
            case UUID -> "in.readUuid()";
            case STRING -> WIRE + ".readString(" + args + ")";
            case BYTES -> WIRE + ".readBytes(" + args + ")";
            case RECORDS -> WIRE + ".readRecords(" + args + ")";
            case STRUCT, ARRAY -> null;
        };
    }

    /** Emits statements that write the value {@code ref} to the Writable named {@code out}. */
    static void write(CodeBuffer code, FieldType type, String ref, String out, Encoding enc, int depth) {
        String args = ", " + enc.flexible() + ", " + enc.nullable() + ", \"" + enc.fieldName() + "\");";
        switch (type.kind()) {
            case BOOL -> code.line("%s.writeByte(%s ? (byte) 1 : (byte) 0);", out, ref);
            case INT8 -> code.line("%s.writeByte(%s);", out, ref);
            case INT16 -> code.line("%s.writeShort(%s);", out, ref);
            case UINT16 -> code.line("%s.writeShort((short) %s);", out, ref);
            case INT32 -> code.line("%s.writeInt(%s);", out, ref);
            case UINT32 -> code.line("%s.writeInt((int) %s);", out, ref);
            case INT64 -> code.line("%s.writeLong(%s);", out, ref);
            case FLOAT64 -> code.line("%s.writeDouble(%s);", out, ref);
            case UUID -> code.line("%s.writeUuid(%s);", out, ref);
            case STRING -> code.line("%s.writeString(%s, %s%s", WIRE, out, ref, args);
            case BYTES -> code.line("%s.writeBytes(%s, %s%s", WIRE, out, ref, args);
            case RECORDS -> code.line("%s.writeRecords(%s, %s%s", WIRE, out, ref, args);
            case STRUCT -> writeStruct(code, ref, out, enc);
            case ARRAY -> writeArray(code, type, ref, out, enc, depth);
        }
    }

    private static void writeStruct(CodeBuffer code, String ref, String out, Encoding enc) {
        if (enc.nullable().equals("false")) {
            code.line("%s.requireNonNull(%s, \"%s\");", WIRE, ref, enc.fieldName());
            code.line("%s.write(%s, version);", ref, out);
            return;
        }
        code.line("if (%s == null) {", ref);
        code.line("%s.requireNullable(%s, \"%s\");", WIRE, enc.nullable(), enc.fieldName());
        code.line("%s.writeByte((byte) -1);", out);
        code.line("} else {");
        code.line("if (%s) {", enc.nullable());
        code.line("%s.writeByte((byte) 1);", out);
        code.line("}");
        code.line("%s.write(%s, version);", ref, out);
        code.line("}");
    }

    private static void writeArray(CodeBuffer code, FieldType type, String ref, String out, Encoding enc, int depth) {
        String e = "e" + depth;
        code.line("if (%s == null) {", ref);
        code.line("%s.writeNullArray(%s, %s, %s, \"%s\");", WIRE, out, enc.flexible(), enc.nullable(), enc.fieldName());
        code.line("} else {");
        code.line("%s.writeArrayLength(%s, %s.size(), %s);", WIRE, out, ref, enc.flexible());
        code.line("for (%s %s : %s) {", TypeMapper.javaType(type.element()), e, ref);
        write(code, type.element(), e, out, new Encoding(enc.flexible(), "false", enc.fieldName()), depth + 1);
        code.line("}");
        code.line("}");
    }
}
