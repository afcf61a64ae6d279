package io.gregor.protocol.gen;

/** Placeholder entry point; the generator is being written. */
public final class MessageGenerator {
    public static void main(String[] args) {
    }
}
