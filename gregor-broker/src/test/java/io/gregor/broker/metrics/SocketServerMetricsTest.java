package io.gregor.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SocketServerMetricsTest {
    private final MetricRegistry registry = new MetricRegistry();
    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final SocketServerMetrics metrics = new SocketServerMetrics(registry, nowMs::get);

    @Test
    void connectionsAreCountedPerListenerAndNetworkThreadWithKafkasAttributeNames() {
        ConnectionMeters meters = metrics.connections("PLAINTEXT", 1);
        metrics.connections("PLAINTEXT", 0);
        for (int i = 0; i < 3; i++) {
            meters.connectionOpened();
            meters.authenticated(false);
        }
        meters.connectionClosed();

        assertThat(registry.getGauges()).containsKeys(
                "kafka.server:type=socket-server-metrics,listener=PLAINTEXT,networkProcessor=0",
                "kafka.server:type=socket-server-metrics,listener=PLAINTEXT,networkProcessor=1");
        Map<String, Double> values = attributes("PLAINTEXT", 1);
        assertThat(values).containsEntry("connection-count", 2.0)
                .containsEntry("connection-creation-total", 3.0)
                .containsEntry("connection-close-total", 1.0)
                .containsEntry("successful-authentication-total", 3.0)
                .containsEntry("failed-authentication-total", 0.0)
                .containsKeys("connection-creation-rate", "connection-close-rate", "successful-authentication-rate",
                        "failed-authentication-rate", "successful-reauthentication-total",
                        "failed-reauthentication-total");
        assertThat(attributes("PLAINTEXT", 0)).containsEntry("connection-count", 0.0);
    }

    @Test
    void ratesArePerSecondOverKafkasTwoThirtySecondWindows() {
        ConnectionMeters meters = metrics.connections("SASL_PLAINTEXT", 0);
        for (int i = 0; i < 60; i++) {
            meters.authenticationFailed(false);
        }
        meters.authenticationFailed(true);

        // judged over at least one whole window: 60 in 30 s
        assertThat(attributes("SASL_PLAINTEXT", 0).get("failed-authentication-rate")).isCloseTo(2.0, within(0.1));
        assertThat(attributes("SASL_PLAINTEXT", 0)).containsEntry("failed-reauthentication-total", 1.0);
        nowMs.addAndGet(2 * ConnectionMeters.WINDOW_MS);
        assertThat(attributes("SASL_PLAINTEXT", 0)).containsEntry("failed-authentication-rate", 0.0)
                .containsEntry("failed-authentication-total", 60.0);
    }

    @Test
    void requestMemoryAndExpiredConnectionsAreSocketServerGauges() {
        metrics.requestMemory(() -> 600, () -> 400);
        metrics.expiredConnectionKilled();

        assertThat(gauge("MemoryPoolAvailable")).isEqualTo(600L);
        assertThat(gauge("MemoryPoolUsed")).isEqualTo(400L);
        assertThat(gauge("ExpiredConnectionsKilledCount")).isEqualTo(1.0);
    }

    private Object gauge(String name) {
        return registry.getGauges().get("kafka.network:type=SocketServer,name=" + name).getValue();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Double> attributes(String listener, int processor) {
        Gauge<?> gauge = registry.getGauges().get("kafka.server:type=socket-server-metrics,listener=" + listener
                + ",networkProcessor=" + processor);
        return (Map<String, Double>) gauge.getValue();
    }
}
