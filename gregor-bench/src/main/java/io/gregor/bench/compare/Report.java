package io.gregor.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a run's results three ways: a Markdown table for the terminal and docs/benchmarks.md,
 * JSON for tools, and an SVG bar chart of the ratios Gregor/Kafka on a logarithmic axis
 * (green where Gregor is better, red where it is worse).
 */
final class Report {
    private final Results results;
    private final RunInfo info;

    /** Where and how the run happened. */
    record RunInfo(String date, String mode, int processors, String cpuModel, String jdk) {
    }

    Report(Results results, RunInfo info) {
        this.results = results;
        this.info = info;
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s, mode %s, %d CPUs (%s), JDK %s%n%n",
                info.date(), info.mode(), info.processors(), info.cpuModel(), info.jdk()));
        out.append("| Metric | Unit | Gregor | Kafka | Gregor/Kafka | Better |\n");
        out.append("|---|---|---:|---:|---:|---|\n");
        for (Metric metric : results.metrics()) {
            Optional<Double> ratio = results.ratio(metric);
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n",
                    metric.label(), metric.unit(),
                    format(results.value(metric, Results.GREGOR)), format(results.value(metric, Results.KAFKA)),
                    ratio.map(r -> String.format(Locale.ROOT, "%.2f×", r)).orElse("n/a"),
                    metric.higherIsBetter() ? "higher" : "lower"));
        }
        List<Metric> cpuMetrics = results.cpuMetrics();
        if (!cpuMetrics.isEmpty()) {
            // not a figure to win: where each broker's CPU went, since a JVM's compiler is part of it
            out.append("\nOf each CPU figure, the broker's JIT compiler threads (C1, C2):\n\n");
            out.append("| Metric | Gregor | Kafka |\n|---|---:|---:|\n");
            for (Metric metric : cpuMetrics) {
                out.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", metric.label(),
                        percent(results.jitShare(metric, Results.GREGOR)),
                        percent(results.jitShare(metric, Results.KAFKA))));
            }
        }
        for (Map.Entry<String, List<String>> failure : results.failures().entrySet()) {
            for (String phase : failure.getValue()) {
                out.append(String.format("%n%s failed %s", failure.getKey(), phase.lines().findFirst().orElse("")));
            }
        }
        return out.toString();
    }

    String json() {
        StringBuilder out = new StringBuilder("{\n");
        out.append(String.format(Locale.ROOT,
                "  \"date\": %s,\n  \"mode\": %s,\n  \"machine\": {\"processors\": %d, \"cpu\": %s},\n  \"jdk\": %s,\n",
                quote(info.date()), quote(info.mode()), info.processors(), quote(info.cpuModel()), quote(info.jdk())));
        out.append("  \"metrics\": [\n");
        List<Metric> metrics = results.metrics();
        for (int i = 0; i < metrics.size(); i++) {
            Metric metric = metrics.get(i);
            out.append(String.format(Locale.ROOT,
                    "    {\"key\": %s, \"label\": %s, \"unit\": %s, \"better\": %s, \"gregor\": %s, \"kafka\": %s, \"ratio\": %s%s}%s\n",
                    quote(metric.key()), quote(metric.label()), quote(metric.unit()),
                    quote(metric.higherIsBetter() ? "higher" : "lower"),
                    number(results.value(metric, Results.GREGOR)), number(results.value(metric, Results.KAFKA)),
                    number(results.ratio(metric)), jitShares(metric), i + 1 < metrics.size() ? "," : ""));
        }
        out.append("  ],\n  \"failures\": {");
        String separator = "";
        for (Map.Entry<String, List<String>> failure : results.failures().entrySet()) {
            out.append(separator).append("\n    ").append(quote(failure.getKey())).append(": [");
            out.append(String.join(", ", failure.getValue().stream().map(Report::quote).toList())).append(']');
            separator = ",";
        }
        out.append(separator.isEmpty() ? "}\n}\n" : "\n  }\n}\n");
        return out.toString();
    }

    /** Horizontal bars from 1× to the ratio, on a log2 axis from 1/16× to 16×. */
    String svg() {
        List<Metric> metrics = results.metrics().stream().filter(m -> results.ratio(m).isPresent()).toList();
        int labelWidth = 360;
        int plotWidth = 480;
        int rowHeight = 24;
        int top = 50;
        int height = top + metrics.size() * rowHeight + 40;
        double maxLog = 4; // 16×
        double centre = labelWidth + plotWidth / 2.0;
        double unit = plotWidth / 2.0 / maxLog;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                labelWidth + plotWidth + 80, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT,
                "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">Gregor / Apache Kafka (%s, %s); green = Gregor better</text>%n",
                escape(info.mode()), escape(info.date())));
        for (int exponent = -4; exponent <= 4; exponent++) {
            double x = centre + exponent * unit;
            String label = exponent >= 0 ? (1 << exponent) + "×" : "1/" + (1 << -exponent) + "×";
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>%n",
                    x, top - 8, x, height - 30, exponent == 0 ? "black" : "#ddd"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x, height - 14, label));
        }
        for (int i = 0; i < metrics.size(); i++) {
            Metric metric = metrics.get(i);
            double ratio = results.ratio(metric).orElseThrow();
            double log = Math.max(-maxLog, Math.min(maxLog, Math.log(ratio) / Math.log(2)));
            boolean gregorBetter = metric.higherIsBetter() ? ratio >= 1 : ratio <= 1;
            double y = top + i * rowHeight;
            double x = Math.min(centre, centre + log * unit);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    labelWidth - 8, y + 15, escape(metric.label() + " (" + metric.unit() + ")")));
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    x, y + 3, Math.max(1, Math.abs(log) * unit), rowHeight - 6, gregorBetter ? "#2e9e4f" : "#d0413b"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\">%.2f×</text>%n",
                    labelWidth + plotWidth + 8, y + 15, ratio));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.md"), table() + "\n");
        Files.writeString(dir.resolve("results.json"), json());
        Files.writeString(dir.resolve("ratios.svg"), svg());
    }

    private static String format(Optional<Double> value) {
        return value.map(v -> Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.3f", v)).orElse("n/a");
    }

    /** For a CPU figure, the JIT compiler's share of it per broker, as more JSON fields. */
    private String jitShares(Metric metric) {
        Optional<Double> gregor = results.jitShare(metric, Results.GREGOR);
        Optional<Double> kafka = results.jitShare(metric, Results.KAFKA);
        if (gregor.isEmpty() && kafka.isEmpty()) {
            return "";
        }
        return String.format(Locale.ROOT, ", \"jit_share\": {\"gregor\": %s, \"kafka\": %s}", number(gregor),
                number(kafka));
    }

    private static String percent(Optional<Double> share) {
        return share.map(v -> String.format(Locale.ROOT, "%.0f%%", v * 100)).orElse("n/a");
    }

    private static String number(Optional<Double> value) {
        return value.filter(Double::isFinite).map(v -> String.format(Locale.ROOT, "%.6g", v)).orElse("null");
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
