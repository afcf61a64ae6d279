package io.gregor.broker.metrics;

import com.codahale.metrics.MetricRegistry;

/** The socket server's meters: of its requests, and of its connections and request memory. */
public record NetworkMetrics(RequestMetrics requests, SocketServerMetrics sockets) {

    public NetworkMetrics(MetricRegistry registry) {
        this(new RequestMetrics(registry), new SocketServerMetrics(registry));
    }
}
