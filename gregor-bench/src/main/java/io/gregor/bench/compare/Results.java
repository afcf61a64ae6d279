package io.gregor.bench.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Figures of one comparison run: for each metric (in the order first measured) the value per
 * broker, and for each broker the phases that failed and why. Not thread-safe; the runner
 * measures one phase at a time.
 */
final class Results {
    static final String GREGOR = "Gregor";
    static final String KAFKA = "Kafka";

    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> values = new LinkedHashMap<>();
    private final Map<String, List<String>> failures = new LinkedHashMap<>();
    /** For CPU figures: the share of the broker's CPU its JIT compiler used in the phase. */
    private final Map<String, Map<String, Double>> jitShares = new LinkedHashMap<>();

    void record(String broker, Metric metric, double value) {
        metrics.putIfAbsent(metric.key(), metric);
        values.computeIfAbsent(metric.key(), k -> new LinkedHashMap<>()).put(broker, value);
    }

    /** Records a CPU figure and how much of that CPU was the broker's JIT compiler. */
    void recordCpu(String broker, Metric metric, double value, ProcStats.CpuTime used) {
        record(broker, metric, value);
        jitShares.computeIfAbsent(metric.key(), k -> new LinkedHashMap<>()).put(broker, used.jitShare());
    }

    /** The CPU figures with a JIT share, in the order measured. */
    List<Metric> cpuMetrics() {
        return metrics.values().stream().filter(m -> jitShares.containsKey(m.key())).toList();
    }

    Optional<Double> jitShare(Metric metric, String broker) {
        return Optional.ofNullable(jitShares.getOrDefault(metric.key(), Map.of()).get(broker));
    }

    void declare(Metric metric) {
        metrics.putIfAbsent(metric.key(), metric);
    }

    void failed(String broker, String phase, Exception cause) {
        failures.computeIfAbsent(broker, b -> new ArrayList<>()).add(phase + ": " + cause.getMessage());
    }

    List<Metric> metrics() {
        return List.copyOf(metrics.values());
    }

    Optional<Double> value(Metric metric, String broker) {
        return Optional.ofNullable(values.getOrDefault(metric.key(), Map.of()).get(broker));
    }

    /** Gregor / Kafka, when both were measured and Kafka's figure is not zero. */
    Optional<Double> ratio(Metric metric) {
        Optional<Double> gregor = value(metric, GREGOR);
        Optional<Double> kafka = value(metric, KAFKA);
        if (gregor.isEmpty() || kafka.isEmpty() || kafka.get() == 0) {
            return Optional.empty();
        }
        return Optional.of(gregor.get() / kafka.get());
    }

    Map<String, List<String>> failures() {
        return failures;
    }
}
