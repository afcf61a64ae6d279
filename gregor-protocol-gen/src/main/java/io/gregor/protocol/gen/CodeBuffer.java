package io.gregor.protocol.gen;

/** Accumulates Java source lines with four-space indentation; {@code {}} blocks indent themselves. */
final class CodeBuffer {
    private final StringBuilder text = new StringBuilder();
    private int indent;

    /**
     * Appends one line; a line ending in "{" opens a block, one starting with "}" closes it
     * first. Continuation lines after embedded newlines keep the current margin.
     */
    CodeBuffer line(String format, Object... args) {
        String line = args.length == 0 ? format : String.format(format, args);
        if (line.startsWith("}")) {
            indent--;
        }
        if (!line.isEmpty()) {
            String margin = "    ".repeat(indent);
            text.append(margin).append(line.replace("\n", "\n" + margin));
        }
        text.append('\n');
        if (line.endsWith("{")) {
            indent++;
        }
        return this;
    }

    CodeBuffer blank() {
        return line("");
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
