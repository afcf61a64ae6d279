package io.gregor.broker.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The connections of one listener on one network thread, as Kafka's
 * {@code kafka.server:type=socket-server-metrics,listener=L,networkProcessor=N} shows them: an
 * MBean of named Double attributes, as Kafka's own metrics library makes it
 * ({@link AttributeGauge}). Each event has a {@code -total} since the start and a {@code -rate}
 * per second over Kafka's default sample windows (metrics.num.samples 2, metrics.sample.window.ms
 * 30 s, {@link SampledRate}).
 *
 * <p>Events come once per connection (its opening, its authentication, its closing), never per
 * request. Thread-safe: written by the listener's connections on one network thread, read by JMX
 * and Prometheus.
 */
public final class ConnectionMeters implements AttributeGauge {
    static final int SAMPLES = 2;
    static final long WINDOW_MS = 30_000;

    private final LongSupplier clockMs;
    private final AtomicLong open = new AtomicLong();
    private final Event creations;
    private final Event closes;
    private final Event successfulAuthentications;
    private final Event failedAuthentications;
    private final Event successfulReauthentications;
    private final Event failedReauthentications;

    ConnectionMeters(LongSupplier clockMs) {
        this.clockMs = clockMs;
        this.creations = new Event("connection-creation");
        this.closes = new Event("connection-close");
        this.successfulAuthentications = new Event("successful-authentication");
        this.failedAuthentications = new Event("failed-authentication");
        this.successfulReauthentications = new Event("successful-reauthentication");
        this.failedReauthentications = new Event("failed-reauthentication");
    }

    public void connectionOpened() {
        open.incrementAndGet();
        creations.record();
    }

    public void connectionClosed() {
        open.decrementAndGet();
        closes.record();
    }

    /**
     * The client is who it says: a SASL exchange succeeded, a TLS handshake did on an SSL listener,
     * or it connected to a PLAINTEXT listener (which Kafka counts as authenticated too).
     *
     * @param again whether it is a re-authentication of an authenticated connection (KIP-368)
     */
    public void authenticated(boolean again) {
        (again ? successfulReauthentications : successfulAuthentications).record();
    }

    /** A SASL exchange or a TLS handshake failed; the connection is closed. */
    public void authenticationFailed(boolean again) {
        (again ? failedReauthentications : failedAuthentications).record();
    }

    @Override
    public Map<String, Double> getValue() {
        long nowMs = clockMs.getAsLong();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("connection-count", (double) open.get());
        for (Event event : new Event[] {creations, closes, successfulAuthentications, failedAuthentications,
            successfulReauthentications, failedReauthentications}) {
            values.put(event.name + "-rate", event.rate.rate(nowMs));
            values.put(event.name + "-total", (double) event.total.get());
        }
        return values;
    }

    private final class Event {
        final String name;
        final AtomicLong total = new AtomicLong();
        final SampledRate rate = new SampledRate(SAMPLES, WINDOW_MS);

        Event(String name) {
            this.name = name;
        }

        void record() {
            total.incrementAndGet();
            rate.record(1, clockMs.getAsLong(), 0);
        }
    }
}
