package io.gregor.broker.quota;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.metrics.AttributeGauge;
import io.gregor.broker.metrics.KafkaMetricName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The meters of one kind of quota, as Kafka names them: per measured client an MBean
 * {@code kafka.server:type=Produce,user=...,client-id=...} (or {@code type=Fetch}) with the
 * attributes {@code byte-rate} (bytes per second over the quota's windows) and
 * {@code throttle-time} (the average throttle of its requests in them, ms). A part the quota does
 * not name is left out, as Kafka leaves out empty tags. As Kafka's, a client's meter goes once the
 * client has sent nothing for an hour, and when the quotas change; it comes back with its next
 * request.
 */
final class QuotaMeters {
    static final String BYTE_RATE = "byte-rate";
    static final String THROTTLE_TIME = "throttle-time";
    /** Kafka's expiry of idle quota sensors. */
    static final long IDLE_EXPIRY_MS = TimeUnit.HOURS.toMillis(1);

    private final MetricRegistry registry;
    private final String type;
    /** The attributes of a client's meter now: zeros once its rate is forgotten. */
    private final Function<QuotaPrecedence.MeasuredClient, Map<String, Double>> values;
    /** The clients with a meter. */
    private final Map<QuotaPrecedence.MeasuredClient, Meter> registered = new ConcurrentHashMap<>();

    /**
     * @param type Kafka's MBean type: {@code Produce} or {@code Fetch}
     */
    QuotaMeters(MetricRegistry registry, String type,
                Function<QuotaPrecedence.MeasuredClient, Map<String, Double>> values) {
        this.registry = registry;
        this.type = type;
        this.values = values;
    }

    /** Makes sure the client has its meter, and notes it is in use: one map lookup when it has. */
    void ensure(QuotaPrecedence.MeasuredClient client, long nowMs) {
        Meter meter = registered.get(client);
        if (meter == null) {
            String name = KafkaMetricName.ofTags("kafka.server", type, "user", client.user(),
                    "client-id", client.clientId());
            AttributeGauge gauge = () -> values.apply(client);
            // getOrAdd: two threads meeting a new client register one meter
            registry.gauge(name, () -> gauge);
            meter = registered.computeIfAbsent(client, c -> new Meter(name));
        }
        meter.lastUsedMs = nowMs;
    }

    /** Drops the meters of the clients that sent nothing for {@link #IDLE_EXPIRY_MS}. */
    void expireIdle(long nowMs) {
        registered.entrySet().removeIf(entry -> {
            if (nowMs - entry.getValue().lastUsedMs < IDLE_EXPIRY_MS) {
                return false;
            }
            registry.remove(entry.getValue().name);
            return true;
        });
    }

    /** Drops every meter: the quotas changed, and with them whose bytes count together. */
    void clear() {
        registered.values().forEach(meter -> registry.remove(meter.name));
        registered.clear();
    }

    private static final class Meter {
        private final String name;
        private volatile long lastUsedMs;

        Meter(String name) {
            this.name = name;
        }
    }
}
