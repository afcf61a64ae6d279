package io.gregor.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.metrics.KafkaMetricName;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import io.gregor.broker.metrics.AttributeGauge;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kafka's object names as the Prometheus JMX exporter's Kafka rules name them. */
class PrometheusNameTest {

    @Test
    void aMeterLosesItsRateSuffixAndKeepsItsTagsAsLabels() {
        PrometheusName name = PrometheusName.ofMeter(
                "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=orders");

        assertThat(name.name()).isEqualTo("kafka_server_brokertopicmetrics_messagesin");
        assertThat(name.help()).isEqualTo("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec");
        assertThat(name.labelNames()).containsExactly("topic");
        assertThat(name.labelValues()).containsExactly("orders");
    }

    @Test
    void labelsKeepTheOrderOfTheTags() {
        PrometheusName name = PrometheusName.ofMeter(
                "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,version=11");

        assertThat(name.name()).isEqualTo("kafka_network_requestmetrics_requests");
        assertThat(name.labelNames()).containsExactly("request", "version");
        assertThat(name.labelValues()).containsExactly("Produce", "11");
    }

    @Test
    void gaugesAndHistogramsKeepTheirWholeName() {
        assertThat(PrometheusName.of("kafka.server:type=ReplicaManager,name=PartitionCount").name())
                .isEqualTo("kafka_server_replicamanager_partitioncount");
        assertThat(PrometheusName.of("kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Fetch").name())
                .isEqualTo("kafka_network_requestmetrics_totaltimems");
    }

    @Test
    void aQuotedValueIsUnquotedAndItsCommasAreNotSeparators() {
        String objectName = KafkaMetricName.of("kafka.log", "Log", "Size", "topic", "a,b=c", "partition", "0");

        PrometheusName name = PrometheusName.of(objectName);

        assertThat(name.name()).isEqualTo("kafka_log_log_size");
        assertThat(name.labelNames()).containsExactly("topic", "partition");
        assertThat(name.labelValues()).containsExactly("a,b=c", "0");
    }

    @Test
    void characterPrometheusForbidsBecomeOneUnderscore() {
        assertThat(PrometheusName.of("kafka.server:type=Fetcher-Lag,name=Consumer..Lag").name())
                .isEqualTo("kafka_server_fetcher_lag_consumer_lag");
    }

    @Test
    void theRegistryIsExposedAsCountersGaugesAndSummaries() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        registry.meter(KafkaMetricName.of("kafka.server", "BrokerTopicMetrics", "MessagesInPerSec", "topic", "t"))
                .mark(3);
        registry.meter(KafkaMetricName.of("kafka.server", "BrokerTopicMetrics", "MessagesInPerSec", "topic", "u"))
                .mark(4);
        registry.register(KafkaMetricName.of("kafka.server", "ReplicaManager", "PartitionCount"),
                (Gauge<Integer>) () -> 7);
        registry.register(KafkaMetricName.of("kafka.server", "ReplicaManager", "NotANumber"),
                (Gauge<String>) () -> "seven");
        registry.register(KafkaMetricName.ofTags("kafka.server", "Produce", "user", "alice", "client-id", "app"),
                (AttributeGauge) () -> Map.of("byte-rate", 1_500.0, "throttle-time", 20.0));
        registry.register(KafkaMetricName.ofTags("kafka.server", "Fetch", "user", "", "client-id", "app"),
                (AttributeGauge) () -> Map.of("byte-rate", 10.0, "throttle-time", 0.0));
        registry.register(KafkaMetricName.ofTags("kafka.server", "socket-server-metrics", "listener", "PLAINTEXT",
                "networkProcessor", "1"), (AttributeGauge) () -> Map.of("connection-count", 2.0));
        for (int ms = 1; ms <= 100; ms++) {
            registry.histogram(KafkaMetricName.of("kafka.network", "RequestMetrics", "TotalTimeMs",
                    "request", "Fetch")).update(ms);
        }

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(text, new DropwizardCollector(registry).collect(),
                EscapingScheme.UNDERSCORE_ESCAPING);

        List<String> lines = List.of(text.toString(StandardCharsets.UTF_8).split("\n"));
        assertThat(lines).contains(
                "# TYPE kafka_server_brokertopicmetrics_messagesin_total counter",
                "kafka_server_brokertopicmetrics_messagesin_total{topic=\"t\"} 3.0",
                "kafka_server_brokertopicmetrics_messagesin_total{topic=\"u\"} 4.0",
                "# TYPE kafka_server_replicamanager_partitioncount gauge",
                "kafka_server_replicamanager_partitioncount 7.0",
                "# TYPE kafka_network_requestmetrics_totaltimems summary",
                "kafka_network_requestmetrics_totaltimems_count{request=\"Fetch\"} 100",
                // the exporter's quota rules: one family per attribute, the MBean's type as resource
                // the exporter's rule for the socket server's: type and attribute, listener and thread as labels
                "# TYPE kafka_server_socket_server_metrics_connection_count gauge",
                "kafka_server_socket_server_metrics_connection_count{listener=\"PLAINTEXT\",networkProcessor=\"1\"} 2.0",
                "# TYPE kafka_server_quota_byte_rate gauge",
                "kafka_server_quota_byte_rate{clientId=\"app\",resource=\"Produce\",user=\"alice\"} 1500.0",
                "kafka_server_quota_byte_rate{clientId=\"app\",resource=\"Fetch\"} 10.0",
                "kafka_server_quota_throttle_time{clientId=\"app\",resource=\"Produce\",user=\"alice\"} 20.0");
        assertThat(lines).anyMatch(line ->
                line.startsWith("kafka_network_requestmetrics_totaltimems{request=\"Fetch\",quantile=\"0.99\"} 99"));
        assertThat(lines).noneMatch(line -> line.contains("notanumber"));
    }
}
