package io.gregor.broker.quota;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.metrics.AttributeGauge;
import io.gregor.broker.metrics.KafkaMetricName;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meters of one kind of quota, as Kafka names them: per measured client an MBean
 * {@code kafka.server:type=Produce,user=...,client-id=...} (or {@code type=Fetch}) with the
 * attributes {@code byte-rate} (bytes per second over the quota's windows) and
 * {@code throttle-time} (the average throttle of its requests in them, ms). A part the quota does
 * not name is left out, as Kafka leaves out empty tags. A client's meter goes when its rate is
 * forgotten and comes back with its next request.
 */
final class QuotaMeters {
    static final String BYTE_RATE = "byte-rate";
    static final String THROTTLE_TIME = "throttle-time";

    private final MetricRegistry registry;
    private final String type;
    /** The attributes of a client's meter now: zeros once its rate is forgotten. */
    private final Function<QuotaPrecedence.MeasuredClient, Map<String, Double>> values;
    /** The clients with a meter, and its name. */
    private final Map<QuotaPrecedence.MeasuredClient, String> registered = new ConcurrentHashMap<>();

    /**
     * @param type Kafka's MBean type: {@code Produce} or {@code Fetch}
     */
    QuotaMeters(MetricRegistry registry, String type,
                Function<QuotaPrecedence.MeasuredClient, Map<String, Double>> values) {
        this.registry = registry;
        this.type = type;
        this.values = values;
    }

    /** Makes sure the client has its meter: one map lookup when it has. */
    void ensure(QuotaPrecedence.MeasuredClient client) {
        if (registered.containsKey(client)) {
            return;
        }
        String name = KafkaMetricName.ofTags("kafka.server", type, "user", client.user(),
                "client-id", client.clientId());
        AttributeGauge gauge = () -> values.apply(client);
        // getOrAdd: two threads meeting a new client register one meter
        registry.gauge(name, () -> gauge);
        registered.put(client, name);
    }

    /** Drops the meters of the clients not in {@code kept}. */
    void retainOnly(Set<QuotaPrecedence.MeasuredClient> kept) {
        registered.entrySet().removeIf(entry -> {
            if (kept.contains(entry.getKey())) {
                return false;
            }
            registry.remove(entry.getValue());
            return true;
        });
    }
}
