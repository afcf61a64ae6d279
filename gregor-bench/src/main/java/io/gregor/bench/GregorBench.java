package io.gregor.bench;

import io.gregor.bench.compare.CompareRun;
import io.gregor.bench.compare.StartupRun;
import java.util.Arrays;

/**
 * {@code gregor-bench compare [--quick]} runs the side-by-side comparison with Apache Kafka;
 * {@code gregor-bench startup [--runs N]} measures the comparison's start-up figures alone, over many starts;
 * {@code gregor-bench jmh [regex] [JMH options]} runs the micro-benchmarks.
 */
public final class GregorBench {
    private GregorBench() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (command) {
            case "compare" -> CompareRun.main(rest);
            case "startup" -> StartupRun.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                System.err.println("""
                        usage: gregor-bench compare [--quick] [--results DIR] [--only gregor|kafka] [--jfr]
                               gregor-bench startup [--runs N] [--only gregor|kafka]
                               gregor-bench jmh [REGEX] [JMH options, e.g. -f 1 -wi 2 -i 3]""");
                System.exit("help".equals(command) ? 0 : 2);
            }
        }
    }
}
