package io.gregor.broker.quota;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.metrics.SampledRate;
import io.gregor.metadata.quota.ClientQuotaEntity;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One kind of client quota on this broker (producer or consumer byte rate): the bounds the
 * metadata sets, and the rate of each client measured against its bound.
 *
 * <p>Costs nothing while no quota of its kind is set: {@link #active()} is one volatile read, and
 * callers ask nothing else then. When the quotas change, the measured rates start afresh. Each
 * measured client has Kafka's quota meter ({@link QuotaMeters}).
 *
 * <p>Clients come and go (a client id per process is common), so what is kept per client does
 * not grow without end: once per span of the windows, the rates no window of which counts any
 * more are dropped, losing nothing, and clients resolve their quota again.
 */
public final class ClientQuotaManager {
    private final int samples;
    private final long windowMs;
    private final LongSupplier nowMs;
    private final QuotaMeters meters;
    private volatile boolean active;
    private volatile State state;

    /**
     * @param samples quota.window.num
     * @param windowMs quota.window.size.seconds, in ms
     * @param nowMs a monotonic clock in ms; tests pass their own
     * @param metrics where each measured client's meter goes
     * @param meterType Kafka's MBean type of this kind of quota: {@code Produce} or {@code Fetch}
     */
    public ClientQuotaManager(int samples, long windowMs, LongSupplier nowMs, MetricRegistry metrics,
                              String meterType) {
        this.samples = samples;
        this.windowMs = windowMs;
        this.nowMs = nowMs;
        this.meters = new QuotaMeters(metrics, meterType, this::meterValues);
        this.state = new State(Map.of());
    }

    /** A manager without quotas, for handlers built without them (tests). */
    public static ClientQuotaManager unlimited() {
        return new ClientQuotaManager(2, 1000, () -> 0, new MetricRegistry(), "Produce");
    }

    /** Whether any quota of this kind is set; when not, nothing needs measuring. */
    public boolean active() {
        return active;
    }

    /** The bounds now set, in bytes per second by entity; measuring starts afresh. */
    void setBounds(Map<ClientQuotaEntity, Double> bounds) {
        state = new State(Map.copyOf(bounds));
        active = !bounds.isEmpty();
        meters.clear();
    }

    /**
     * Counts {@code bytes} for the client and says how long its connection must be throttled.
     *
     * @return the throttle time in ms, 0 when the client has no quota or is within it
     */
    public long recordAndThrottleMs(String user, String clientId, long bytes) {
        long now = nowMs.getAsLong();
        State current = state;
        current.forgetIdleClients(now);
        Optional<Measured> measured = current.measured(user, clientId);
        if (measured.isEmpty()) {
            return 0;
        }
        meters.ensure(measured.get().client, now);
        return measured.get().rate.recordAndThrottleMs(bytes, now, measured.get().bound);
    }

    /** The attributes of a client's meter: its rate and average throttle now, zeros when it has none. */
    private Map<String, Double> meterValues(QuotaPrecedence.MeasuredClient client) {
        SampledRate rate = state.rates.get(client);
        long now = nowMs.getAsLong();
        return Map.of(QuotaMeters.BYTE_RATE, rate == null ? 0 : rate.rate(now),
                QuotaMeters.THROTTLE_TIME, rate == null ? 0 : rate.averageThrottleMs(now));
    }

    /**
     * The most a single response may carry for the client: what its quota allows over the
     * window's minimum span, so one fetch cannot take far more than the quota; unlimited without one.
     */
    public long maxBytesInWindow(String user, String clientId) {
        return state.measured(user, clientId)
                .map(measured -> (long) Math.min(Long.MAX_VALUE, measured.bound * (samples - 1) * windowMs / 1000.0))
                .orElse(Long.MAX_VALUE);
    }

    /** The rate the client's bytes are measured at now, bytes per second; 0 without a quota. */
    double rate(String user, String clientId) {
        return state.measured(user, clientId).map(measured -> measured.rate.rate(nowMs.getAsLong())).orElse(0.0);
    }

    /** How many clients' rates are kept now. */
    int measuredClients() {
        return state.measuredClients();
    }

    /** A client's bound and the rate it is held to; shared by the clients whose bytes count together. */
    private record Measured(double bound, QuotaPrecedence.MeasuredClient client, SampledRate rate) {
    }

    private record Client(String user, String clientId) {
    }

    /** The bounds, and what each client resolved to under them: replaced whole when the bounds change. */
    private final class State {
        private final Map<ClientQuotaEntity, Double> bounds;
        private final Map<Client, Optional<Measured>> byClient = new ConcurrentHashMap<>();
        private final Map<QuotaPrecedence.MeasuredClient, SampledRate> rates = new ConcurrentHashMap<>();
        private final AtomicLong nextSweepMs = new AtomicLong(nowMs.getAsLong() + samples * windowMs);

        State(Map<ClientQuotaEntity, Double> bounds) {
            this.bounds = bounds;
        }

        /**
         * Once per span, on one thread: drops the idle rates and what clients resolved to. A
         * request that resolved a rate just before it was dropped counts its bytes into that one,
         * lost: at most one request of a client idle for a whole span.
         */
        void forgetIdleClients(long now) {
            long due = nextSweepMs.get();
            if (now < due || !nextSweepMs.compareAndSet(due, now + samples * windowMs)) {
                return;
            }
            byClient.clear();
            rates.values().removeIf(rate -> rate.isIdle(now));
            meters.expireIdle(now);
        }

        int measuredClients() {
            return rates.size();
        }

        Optional<Measured> measured(String user, String clientId) {
            return byClient.computeIfAbsent(new Client(user, clientId), client ->
                    QuotaPrecedence.resolve(bounds, user, clientId).map(match -> new Measured(match.bound(),
                            match.measured(),
                            rates.computeIfAbsent(match.measured(), key -> new SampledRate(samples, windowMs)))));
        }
    }
}
