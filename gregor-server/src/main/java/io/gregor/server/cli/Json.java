package io.gregor.server.cli;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the CLI's {@code --output json}: maps, collections, strings, numbers, booleans and
 * null, indented by two spaces. Hand-written because the CLI needs output only, and Jackson is
 * kept to the code generator.
 */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    /** One line, for streams of records (JSON Lines). */
    static String writeCompact(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, COMPACT);
        return out.toString();
    }

    /** Indent level that means "no line breaks, no indentation". */
    private static final int COMPACT = -1;

    private static void write(StringBuilder out, Object value, int indent) {
        if (value instanceof Optional<?> optional) {
            write(out, optional.orElse(null), indent);
        } else if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            writeMap(out, map, indent);
        } else if (value instanceof Collection<?> collection) {
            writeCollection(out, collection, indent);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            quote(out, value.toString());
        }
    }

    private static void writeMap(StringBuilder out, Map<?, ?> map, int indent) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        newline(out, indent);
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<?, ?> entry = entries.next();
            pad(out, indent + 1);
            quote(out, String.valueOf(entry.getKey()));
            out.append(indent == COMPACT ? ":" : ": ");
            write(out, entry.getValue(), child(indent));
            if (entries.hasNext()) {
                out.append(',');
            }
            newline(out, indent);
        }
        pad(out, indent);
        out.append('}');
    }

    private static void writeCollection(StringBuilder out, Collection<?> collection, int indent) {
        if (collection.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        newline(out, indent);
        Iterator<?> items = collection.iterator();
        while (items.hasNext()) {
            pad(out, indent + 1);
            write(out, items.next(), child(indent));
            if (items.hasNext()) {
                out.append(',');
            }
            newline(out, indent);
        }
        pad(out, indent);
        out.append(']');
    }

    private static int child(int indent) {
        return indent == COMPACT ? COMPACT : indent + 1;
    }

    private static void newline(StringBuilder out, int indent) {
        if (indent != COMPACT) {
            out.append('\n');
        }
    }

    private static void pad(StringBuilder out, int indent) {
        if (indent >= 0) {
            out.append("  ".repeat(indent));
        }
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
