package io.gregor.server.cli;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * Whether a person is watching: progress lines are drawn only when stdout is a terminal, never
 * into a pipe or file. On Java 17 {@link System#console()} is null unless stdin and stdout are
 * both terminals; from Java 22 it may exist without one, so {@code Console.isTerminal()} is
 * asked where the running JVM has it.
 */
final class Terminal {
    private Terminal() {
    }

    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException olderJvm) {
            return true;
        }
    }

    /** A single line on stderr, rewritten in place, at most every 200 ms; silent when not interactive. */
    static final class Progress {
        private static final long INTERVAL_NANOS = 200_000_000L;
        private final PrintStream err;
        private final boolean enabled;
        private long lastDrawn;
        private boolean drawn;

        Progress(boolean enabled) {
            this.err = System.err;
            this.enabled = enabled;
        }

        static Progress forTerminal() {
            return new Progress(isInteractive());
        }

        void update(String text) {
            if (!enabled) {
                return;
            }
            long now = System.nanoTime();
            if (drawn && now - lastDrawn < INTERVAL_NANOS) {
                return;
            }
            lastDrawn = now;
            drawn = true;
            err.print("\r\033[K" + text);
            err.flush();
        }

        /** Removes the line so that the final summary stands alone. */
        void clear() {
            if (enabled && drawn) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
