package io.gregor.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code gregor-bench startup [--runs N] [--only gregor|kafka]}: the two start-up figures of the
 * comparison alone, over many starts. The comparison starts each broker once, so its start-up
 * figures are single samples, which on a shared machine vary by tens of milliseconds; this starts
 * each broker {@code N} times, exactly as the comparison does (the untimed preparation, then the
 * timed start, then kill), taking turns, and prints the median and the spread of each.
 */
public final class StartupRun {
    private StartupRun() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int runs = 11;
        List<String> brokers = List.of(Results.KAFKA, Results.GREGOR);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--only" -> brokers = List.of(args[++i].equalsIgnoreCase("kafka") ? Results.KAFKA : Results.GREGOR);
                default -> {
                    System.err.println("usage: gregor-bench startup [--runs N] [--only gregor|kafka]");
                    System.exit(2);
                }
            }
        }
        ChildJvm jvm = ChildJvm.ofCurrentProcess();
        Map<String, long[]> accept = new LinkedHashMap<>();
        Map<String, long[]> answer = new LinkedHashMap<>();
        for (String broker : brokers) {
            accept.put(broker, new long[runs]);
            answer.put(broker, new long[runs]);
        }
        for (int run = 0; run < runs; run++) {
            for (String broker : brokers) {
                Path workDir = Files.createTempDirectory("gregor-bench-startup-" + broker.toLowerCase(Locale.ROOT) + "-");
                try (BrokerUnderTest started = Results.KAFKA.equals(broker)
                        ? new KafkaBroker(jvm, workDir) : new GregorServer(jvm, workDir)) {
                    started.start();
                    accept.get(broker)[run] = started.acceptMillis();
                    answer.get(broker)[run] = started.startupMillis();
                    System.out.printf(Locale.ROOT, "%tT %s start %d: accepting TCP after %d ms, ApiVersions after %d ms%n",
                            System.currentTimeMillis(), broker, run + 1, started.acceptMillis(), started.startupMillis());
                } finally {
                    BrokerUnderTest.deleteRecursively(workDir);
                }
            }
        }
        System.out.println();
        List<String> lines = new ArrayList<>();
        for (String broker : brokers) {
            lines.add(summary(broker, "Start-up to accepting TCP", accept.get(broker)));
            lines.add(summary(broker, "Start-up to answering ApiVersions", answer.get(broker)));
        }
        if (brokers.size() == 2) {
            lines.add(String.format(Locale.ROOT, "Gregor/Kafka, medians: accepting TCP %.2f×, answering ApiVersions %.2f×",
                    (double) median(accept.get(Results.GREGOR)) / median(accept.get(Results.KAFKA)),
                    (double) median(answer.get(Results.GREGOR)) / median(answer.get(Results.KAFKA))));
        }
        lines.forEach(System.out::println);
    }

    private static String summary(String broker, String figure, long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%s %s: median %d ms (quartiles %d–%d, min %d, max %d; %d starts)", broker,
                figure, median(sorted), sorted[sorted.length / 4], sorted[sorted.length * 3 / 4], sorted[0],
                sorted[sorted.length - 1], sorted.length);
    }

    private static long median(long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
