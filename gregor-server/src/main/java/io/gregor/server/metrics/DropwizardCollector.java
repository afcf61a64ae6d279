package io.gregor.server.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import io.gregor.broker.metrics.AttributeGauge;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker's registry as Prometheus metrics, read at each scrape (the registry is safe to read
 * from any thread, so the broker's threads do nothing for it), named by {@link PrometheusName}:
 * a meter is a counter of its count, as the JMX exporter's Kafka rules make of its {@code Count};
 * a gauge (and a Dropwizard counter, which can go down) a gauge; a histogram (request times in ms)
 * a summary of its count and the quantiles Kafka's MBeans show; a meter of named attributes
 * ({@link AttributeGauge}: client quotas, connections) a gauge per attribute. A histogram keeps no sum, so the
 * summary has none, like the exporter's. Gregor registers no timers; a timer would be skipped.
 */
final class DropwizardCollector implements MultiCollector {
    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};

    private final MetricRegistry registry;

    DropwizardCollector(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new LinkedHashMap<>();
        registry.getMetrics().forEach((name, metric) -> add(families, name, metric));
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        families.values().forEach(family -> snapshots.metricSnapshot(family.build()));
        return snapshots.build();
    }

    private static void add(Map<String, Family> families, String objectName, Metric metric) {
        if (metric instanceof Meter meter) {
            PrometheusName name = PrometheusName.ofMeter(objectName);
            family(families, name, Kind.COUNTER).counter.dataPoint(CounterDataPointSnapshot.builder()
                    .value(meter.getCount()).labels(labels(name)).build());
        } else if (metric instanceof Histogram histogram) {
            PrometheusName name = PrometheusName.of(objectName);
            family(families, name, Kind.SUMMARY).summary.dataPoint(SummaryDataPointSnapshot.builder()
                    .count(histogram.getCount()).quantiles(quantiles(histogram.getSnapshot()))
                    .labels(labels(name)).build());
        } else if (metric instanceof AttributeGauge attributes) {
            attributes.getValue().forEach((attribute, value) -> {
                PrometheusName name = PrometheusName.ofAttribute(objectName, attribute);
                family(families, name, Kind.GAUGE).gauge.dataPoint(GaugeDataPointSnapshot.builder()
                        .value(value).labels(labels(name)).build());
            });
        } else if (metric instanceof Gauge<?> gauge && gauge.getValue() instanceof Number value) {
            gauge(families, objectName, value.doubleValue());
        } else if (metric instanceof Counter counter) {
            gauge(families, objectName, counter.getCount());
        }
    }

    private static void gauge(Map<String, Family> families, String objectName, double value) {
        PrometheusName name = PrometheusName.of(objectName);
        family(families, name, Kind.GAUGE).gauge.dataPoint(GaugeDataPointSnapshot.builder()
                .value(value).labels(labels(name)).build());
    }

    private static Family family(Map<String, Family> families, PrometheusName name, Kind kind) {
        Family family = families.computeIfAbsent(name.name(), n -> new Family(kind, name));
        if (family.kind != kind) {
            // two kinds of meter under one name would make the whole scrape invalid; the first stays
            return new Family(kind, name);
        }
        return family;
    }

    private static Labels labels(PrometheusName name) {
        return Labels.of(name.labelNames(), name.labelValues());
    }

    private static Quantiles quantiles(Snapshot snapshot) {
        Quantile[] quantiles = new Quantile[QUANTILES.length];
        for (int i = 0; i < QUANTILES.length; i++) {
            quantiles[i] = new Quantile(QUANTILES[i], snapshot.getValue(QUANTILES[i]));
        }
        return Quantiles.of(quantiles);
    }

    private enum Kind { COUNTER, GAUGE, SUMMARY }

    /** The data points of one metric family, of one kind. */
    private static final class Family {
        final Kind kind;
        final CounterSnapshot.Builder counter = CounterSnapshot.builder();
        final GaugeSnapshot.Builder gauge = GaugeSnapshot.builder();
        final SummarySnapshot.Builder summary = SummarySnapshot.builder();

        Family(Kind kind, PrometheusName name) {
            this.kind = kind;
            counter.name(name.name()).help(name.help());
            gauge.name(name.name()).help(name.help());
            summary.name(name.name()).help(name.help());
        }

        MetricSnapshot build() {
            return switch (kind) {
                case COUNTER -> counter.build();
                case GAUGE -> gauge.build();
                case SUMMARY -> summary.build();
            };
        }
    }
}
