package io.gregor.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The socket server's meters beyond the requests': per listener and network thread the
 * connections' {@link ConnectionMeters}
 * ({@code kafka.server:type=socket-server-metrics,listener=L,networkProcessor=N}), and Kafka's
 * {@code kafka.network:type=SocketServer} gauges {@code MemoryPoolAvailable} and
 * {@code MemoryPoolUsed} (the request memory of {@code queued.max.request.bytes}) and
 * {@code ExpiredConnectionsKilledCount} (connections closed because their SASL session ended
 * without a re-authentication, KIP-368).
 */
public final class SocketServerMetrics {
    private final MetricRegistry registry;
    private final LongSupplier clockMs;
    private final LongAdder expiredConnectionsKilled = new LongAdder();

    public SocketServerMetrics(MetricRegistry registry) {
        this(registry, System::currentTimeMillis);
    }

    SocketServerMetrics(MetricRegistry registry, LongSupplier clockMs) {
        this.registry = registry;
        this.clockMs = clockMs;
        registry.register(KafkaMetricName.of("kafka.network", "SocketServer", "ExpiredConnectionsKilledCount"),
                (Gauge<Double>) () -> expiredConnectionsKilled.doubleValue());
    }

    /** Registers the meters of the connections of {@code listener} on network thread {@code processor}. */
    public ConnectionMeters connections(String listener, int processor) {
        String name = KafkaMetricName.ofTags("kafka.server", "socket-server-metrics", "listener", listener,
                "networkProcessor", Integer.toString(processor));
        ConnectionMeters meters = new ConnectionMeters(clockMs);
        registry.register(name, meters);
        return meters;
    }

    /**
     * Registers the gauges of the request memory ({@code queued.max.request.bytes}).
     *
     * @param available what is left, {@link Long#MAX_VALUE} without a bound, as in Kafka
     * @param used what requests hold
     */
    public void requestMemory(LongSupplier available, LongSupplier used) {
        registry.register(KafkaMetricName.of("kafka.network", "SocketServer", "MemoryPoolAvailable"),
                (Gauge<Long>) available::getAsLong);
        registry.register(KafkaMetricName.of("kafka.network", "SocketServer", "MemoryPoolUsed"),
                (Gauge<Long>) used::getAsLong);
    }

    /** A connection was closed because its SASL session ended without a re-authentication. */
    public void expiredConnectionKilled() {
        expiredConnectionsKilled.increment();
    }
}
