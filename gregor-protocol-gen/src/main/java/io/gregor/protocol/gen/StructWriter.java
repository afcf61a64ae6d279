package io.gregor.protocol.gen;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * Emits one struct as a Java class: fields at their defaults, accessors, fluent setters,
 * {@code read}, {@code write}, {@code equals}, {@code hashCode} and {@code toString}.
 *
 * <p>Tagged fields are collected in a section at the end of the struct in flexible versions:
 * a count, then for each field whose value differs from its default (in tag order) the tag,
 * the size of the value and the value. Unknown tags are skipped on read.
 */
final class StructWriter {
    /** Name of the generated method that tells whether a struct equals a new instance. */
    static final String HAS_ONLY_DEFAULTS = "hasOnlyDefaults";

    private final MessageSpec message;
    private final StructSpec struct;
    private final Versions known;
    private final boolean topLevel;
    private final String messageVersionsCheck;

    StructWriter(MessageSpec message, StructSpec struct, boolean topLevel) {
        this.message = message;
        this.struct = struct;
        this.topLevel = topLevel;
        // A struct declared by one field may be referenced by another with wider versions, so
        // conditions inside nested structs assume only the message's valid versions.
        this.known = message.validVersions();
        this.messageVersionsCheck = "version < " + message.validVersions().lowest()
                + " || version > " + message.validVersions().highest();
    }

    void writeFields(CodeBuffer code) {
        for (FieldSpec field : struct.fields()) {
            code.line("private %s %s = %s;", TypeMapper.javaType(field.type()), field.accessorName(),
                    TypeMapper.defaultValue(field));
        }
        code.blank();
    }

    void writeAccessors(CodeBuffer code) {
        for (FieldSpec field : struct.fields()) {
            String type = TypeMapper.javaType(field.type());
            if (field.about() != null && !field.about().isBlank()) {
                code.line("/** %s */", field.about().replace("*/", "* /"));
            }
            code.line("public %s %s() {", type, field.accessorName());
            code.line("return this.%s;", field.accessorName());
            code.line("}");
            code.blank();
            code.line("public %s %s(%s value) {", struct.name(), field.setterName(), type);
            code.line("this.%s = value;", field.accessorName());
            code.line("return this;");
            code.line("}");
            code.blank();
        }
    }

    void writeRead(CodeBuffer code) {
        code.line("@Override");
        code.line("public void read(io.gregor.protocol.wire.Readable in, short version) {");
        if (topLevel) {
            code.line("if (%s) {", messageVersionsCheck);
            code.line("throw new io.gregor.protocol.wire.UnsupportedVersionException(\"%s does not support version \" + version);",
                    struct.name());
            code.line("}");
        }
        for (FieldSpec field : struct.fields()) {
            String ref = "this." + field.accessorName();
            String regular = field.regularVersions().condition(known);
            String reset = ref + " = " + TypeMapper.defaultValue(field) + ";";
            Versions regularScope = known.intersect(field.regularVersions());
            if (regular.equals("true")) {
                FieldCodec.read(code, field.type(), ref + " = %s;", encoding(field, regularScope), 0);
            } else if (regular.equals("false")) {
                code.line(reset);
            } else {
                code.line("if (%s) {", regular);
                FieldCodec.read(code, field.type(), ref + " = %s;", encoding(field, regularScope), 0);
                code.line("} else {");
                code.line(reset);
                code.line("}");
            }
        }
        String flexible = message.flexibleVersions().condition(known);
        if (!flexible.equals("false")) {
            openIf(code, flexible);
            code.line("int taggedCount = in.readUnsignedVarint();");
            code.line("for (int t = 0; t < taggedCount; t++) {");
            code.line("int tag = in.readUnsignedVarint();");
            code.line("int size = in.readUnsignedVarint();");
            code.line("switch (tag) {");
            for (FieldSpec field : taggedFields()) {
                code.line("case %d: {", field.tag());
                String tagged = field.taggedVersions().condition(flexibleScope());
                openIf(code, tagged);
                FieldCodec.read(code, field.type(), "this." + field.accessorName() + " = %s;",
                        encoding(field, taggedScope(field)).asTagged(), 0);
                if (!tagged.equals("true")) {
                    code.line("} else {");
                    code.line("in.skip(size);");
                }
                closeIf(code, tagged);
                code.line("break;");
                code.line("}");
            }
            code.line("default:");
            code.line("    in.skip(size);");
            code.line("}");
            code.line("}");
            closeIf(code, flexible);
        }
        code.line("}");
        code.blank();
    }

    void writeWrite(CodeBuffer code) {
        code.line("@Override");
        code.line("public void write(io.gregor.protocol.wire.Writable out, short version) {");
        if (topLevel) {
            code.line("if (%s) {", messageVersionsCheck);
            code.line("throw new io.gregor.protocol.wire.UnsupportedVersionException(\"%s does not support version \" + version);",
                    struct.name());
            code.line("}");
        }
        for (FieldSpec field : struct.fields()) {
            String ref = "this." + field.accessorName();
            String regular = field.regularVersions().condition(known);
            String absent = negate(field.versions().condition(known));
            boolean checkAbsent = !field.ignorable() && !absent.equals("false");
            if (!regular.equals("false")) {
                openIf(code, regular);
                FieldCodec.write(code, field.type(), ref, "out", encoding(field, known.intersect(field.regularVersions())), 0);
                if (checkAbsent && !regular.equals("true")) {
                    if (field.taggedVersions().isEmpty()) {
                        code.line("} else {");
                    } else {
                        code.line("} else if (%s) {", absent);
                    }
                    throwAbsent(code, field, ref);
                }
                closeIf(code, regular);
            } else if (checkAbsent) {
                openIf(code, absent);
                throwAbsent(code, field, ref);
                closeIf(code, absent);
            }
        }
        String flexible = message.flexibleVersions().condition(known);
        if (!flexible.equals("false")) {
            openIf(code, flexible);
            List<FieldSpec> tagged = taggedFields();
            if (tagged.isEmpty()) {
                code.line("out.writeUnsignedVarint(0);");
            } else {
                code.line("int taggedCount = 0;");
                for (FieldSpec field : tagged) {
                    code.line("if (%s) {", writtenAsTagged(field));
                    code.line("taggedCount++;");
                    code.line("}");
                }
                code.line("out.writeUnsignedVarint(taggedCount);");
                for (FieldSpec field : tagged) {
                    code.line("if (%s) {", writtenAsTagged(field));
                    code.line("out.writeUnsignedVarint(%d);", field.tag());
                    FieldCodec.Encoding encoding = encoding(field, taggedScope(field)).asTagged();
                    String ref = "this." + field.accessorName();
                    OptionalInt fixedSize = TypeMapper.fixedSize(field.type());
                    if (fixedSize.isPresent()) {
                        code.line("out.writeUnsignedVarint(%d);", fixedSize.getAsInt());
                        FieldCodec.write(code, field.type(), ref, "out", encoding, 0);
                    } else {
                        // The size precedes the value, so variable-size values are encoded aside first.
                        code.line("io.gregor.protocol.wire.ByteBufferWriter value = new io.gregor.protocol.wire.ByteBufferWriter(64);");
                        FieldCodec.write(code, field.type(), ref, "value", encoding, 0);
                        code.line("out.writeUnsignedVarint(value.size());");
                        code.line("out.writeByteBuffer(value.toByteBuffer());");
                    }
                    code.line("}");
                }
            }
            closeIf(code, flexible);
        }
        code.line("}");
        code.blank();
    }

    /** The versions where the tagged-fields section exists. */
    private Versions flexibleScope() {
        return known.intersect(message.flexibleVersions());
    }

    private Versions taggedScope(FieldSpec field) {
        return flexibleScope().intersect(field.taggedVersions());
    }

    private String writtenAsTagged(FieldSpec field) {
        String cond = field.taggedVersions().condition(flexibleScope());
        String differs = TypeMapper.differsFromDefault(field, "this." + field.accessorName());
        return cond.equals("true") ? differs : "(" + cond + ") && " + differs;
    }

    private void throwAbsent(CodeBuffer code, FieldSpec field, String ref) {
        code.line("if (%s) {", TypeMapper.differsFromDefault(field, ref));
        code.line("throw new io.gregor.protocol.wire.UnsupportedVersionException(\"%s.%s is not supported in version \" + version);",
                struct.name(), field.name());
        code.line("}");
    }

    private List<FieldSpec> taggedFields() {
        return struct.fields().stream()
                .filter(f -> f.tag() != null && !f.taggedVersions().intersect(known).isEmpty())
                .sorted(Comparator.comparingInt(FieldSpec::tag))
                .toList();
    }

    /** How the field is encoded, with conditions simplified for code that runs only in {@code scope}. */
    private FieldCodec.Encoding encoding(FieldSpec field, Versions scope) {
        Versions flexible = field.flexibleVersionsOverride().orElse(message.flexibleVersions());
        return new FieldCodec.Encoding(
                flexible.condition(scope),
                field.type().canBeNullable() ? field.nullableVersions().condition(scope) : "false",
                struct.name() + "." + field.name());
    }

    /**
     * Emits visitErrorCodes(visitor), for a response struct that holds error codes: each error code
     * field, then the structs within that hold any, in field order. Indexed loops, so that walking
     * a produce or fetch response allocates no iterator.
     */
    void writeVisitErrorCodes(CodeBuffer code, StructRegistry structs) {
        code.line("/** Hands each error code of this struct, and of the structs within it, to {@code visitor}. */");
        if (topLevel) {
            code.line("@Override");
        }
        code.line("public void visitErrorCodes(io.gregor.protocol.wire.ErrorCodeVisitor visitor) {");
        for (FieldSpec field : struct.fields()) {
            String ref = "this." + field.accessorName();
            String nested = field.type().structName();
            if (StructRegistry.isErrorCode(field)) {
                code.line("visitor.errorCode(%s);", ref);
            } else if (nested != null && structs.carriesErrorCodes(structs.named(nested))) {
                code.line("if (%s != null) {", ref);
                if (field.type().isArray()) {
                    code.line("for (int i = 0, n = %s.size(); i < n; i++) {", ref);
                    code.line("%s.get(i).visitErrorCodes(visitor);", ref);
                    code.line("}");
                } else {
                    code.line("%s.visitErrorCodes(visitor);", ref);
                }
                code.line("}");
            }
        }
        code.line("}");
        code.blank();
    }

    /** Emits hasOnlyDefaults(): tagged struct fields are written only when it is false. */
    void writeHasOnlyDefaults(CodeBuffer code) {
        code.line("/** Whether every field holds its default value, as in a new instance. */");
        code.line("public boolean %s() {", HAS_ONLY_DEFAULTS);
        StringBuilder all = new StringBuilder();
        for (FieldSpec field : struct.fields()) {
            all.append(all.isEmpty() ? "" : "\n        && ")
                    .append("!").append(wrap(TypeMapper.differsFromDefault(field, "this." + field.accessorName())));
        }
        code.line("return %s;", all.isEmpty() ? "true" : all);
        code.line("}");
        code.blank();
    }

    private static String wrap(String condition) {
        return condition.startsWith("(") && condition.endsWith(")") ? condition : "(" + condition + ")";
    }

    void writeEqualsHashCodeToString(CodeBuffer code) {
        String name = struct.name();
        code.line("@Override");
        code.line("public boolean equals(Object o) {");
        code.line("if (this == o) {");
        code.line("return true;");
        code.line("}");
        code.line("if (!(o instanceof %s)) {", name);
        code.line("return false;");
        code.line("}");
        if (struct.fields().isEmpty()) {
            code.line("return true;");
        } else {
            code.line("%s other = (%s) o;", name, name);
            StringBuilder all = new StringBuilder();
            for (FieldSpec field : struct.fields()) {
                String a = "this." + field.accessorName();
                String b = "other." + field.accessorName();
                String cmp = switch (field.type().kind()) {
                    case FLOAT64 -> "Double.compare(" + a + ", " + b + ") == 0";
                    case BYTES -> "java.util.Arrays.equals(" + a + ", " + b + ")";
                    default -> TypeMapper.isPrimitive(field.type()) ? a + " == " + b
                            : "java.util.Objects.equals(" + a + ", " + b + ")";
                };
                all.append(all.isEmpty() ? "" : "\n        && ").append(cmp);
            }
            code.line("return %s;", all);
        }
        code.line("}");
        code.blank();
        code.line("@Override");
        code.line("public int hashCode() {");
        code.line("int h = 0;");
        for (FieldSpec field : struct.fields()) {
            String a = "this." + field.accessorName();
            String hash = switch (field.type().kind()) {
                case BOOL -> "Boolean.hashCode(" + a + ")";
                case INT8 -> "Byte.hashCode(" + a + ")";
                case INT16 -> "Short.hashCode(" + a + ")";
                case UINT16, INT32 -> "Integer.hashCode(" + a + ")";
                case UINT32, INT64 -> "Long.hashCode(" + a + ")";
                case FLOAT64 -> "Double.hashCode(" + a + ")";
                case BYTES -> "java.util.Arrays.hashCode(" + a + ")";
                default -> "java.util.Objects.hashCode(" + a + ")";
            };
            code.line("h = 31 * h + %s;", hash);
        }
        code.line("return h;");
        code.line("}");
        code.blank();
        code.line("@Override");
        code.line("public String toString() {");
        StringBuilder parts = new StringBuilder("\"" + name + "(\"");
        String sep = "";
        for (FieldSpec field : struct.fields()) {
            String a = "this." + field.accessorName();
            String value = field.type().kind() == FieldType.Kind.BYTES ? "java.util.Arrays.toString(" + a + ")" : a;
            parts.append("\n        + \"").append(sep).append(field.accessorName()).append("=\" + ").append(value);
            sep = ", ";
        }
        parts.append("\n        + \")\"");
        code.line("return %s;", parts);
        code.line("}");
    }

    private static String negate(String cond) {
        return switch (cond) {
            case "true" -> "false";
            case "false" -> "true";
            default -> {
                if (cond.matches("version >= \\d+")) {
                    yield "version < " + cond.substring("version >= ".length());
                }
                if (cond.matches("version <= \\d+")) {
                    yield "version > " + cond.substring("version <= ".length());
                }
                yield "!(" + cond + ")";
            }
        };
    }

    private static void openIf(CodeBuffer code, String cond) {
        if (!cond.equals("true")) {
            code.line("if (%s) {", cond);
        }
    }

    private static void closeIf(CodeBuffer code, String cond) {
        if (!cond.equals("true")) {
            code.line("}");
        }
    }
}
