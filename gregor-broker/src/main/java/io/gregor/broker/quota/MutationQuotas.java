package io.gregor.broker.quota;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.metrics.SampledRate;
import io.gregor.metadata.quota.ClientQuotaEntity;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The controller_mutation_rate quotas of this broker (KIP-599): partitions created (by
 * CreateTopics and CreatePartitions) or deleted (by DeleteTopics) per second, per client, by
 * KIP-55's precedence ({@link QuotaPrecedence}). Each measured client has a {@link TokenBucket} of
 * the quota's rate, whose burst is what the rate allows over the quota's windows
 * ({@code quota.window.num} × {@code quota.window.size.seconds}), as in Kafka.
 *
 * <p>Topic creations and deletions are rare, so nothing is cached per client beyond its bucket,
 * and a bucket full again, whose client's rate no window counts any more, is dropped.
 */
public final class MutationQuotas {
    static final String MUTATION_RATE = "mutation-rate";
    static final String TOKENS = "tokens";

    private final int samples;
    private final long windowMs;
    private final LongSupplier nowMs;
    private final QuotaMeters meters;
    private volatile State state = new State(Map.of());

    /**
     * @param samples quota.window.num
     * @param windowMs quota.window.size.seconds, in ms
     * @param nowMs a monotonic clock in ms
     * @param metrics where each measured client's meter goes
     */
    public MutationQuotas(int samples, long windowMs, LongSupplier nowMs, MetricRegistry metrics) {
        this.samples = samples;
        this.windowMs = windowMs;
        this.nowMs = nowMs;
        this.meters = new QuotaMeters(metrics, "ControllerMutation", this::meterValues);
    }

    /** No quotas, for handlers built without them (tests). */
    public static MutationQuotas unlimited() {
        return new MutationQuotas(2, 1000, () -> 0, new MetricRegistry());
    }

    /** The bounds now set, partitions per second by entity; the buckets start afresh. */
    void setBounds(Map<ClientQuotaEntity, Double> bounds) {
        state = new State(Map.copyOf(bounds));
        meters.clear();
    }

    /**
     * The quota one request's mutations count against.
     *
     * @param strict whether mutations over the quota are refused (the request versions that know
     *     THROTTLING_QUOTA_EXCEEDED) rather than done and throttled
     */
    public MutationQuota forRequest(String user, String clientId, boolean strict) {
        State current = state;
        if (current.bounds.isEmpty()) {
            return MutationQuota.UNLIMITED;
        }
        long now = nowMs.getAsLong();
        current.buckets.values().removeIf(measured -> measured.bucket.isFull(now) && measured.rate.isIdle(now));
        Optional<QuotaPrecedence.Match> match = QuotaPrecedence.resolve(current.bounds, user, clientId);
        if (match.isEmpty()) {
            return MutationQuota.UNLIMITED;
        }
        double rate = match.get().bound();
        Measured measured = current.buckets.computeIfAbsent(match.get().measured(), client -> new Measured(
                new TokenBucket(rate, rate * samples * windowMs / 1000.0, now), new SampledRate(samples, windowMs)));
        meters.ensure(match.get().measured(), now);
        meters.expireIdle(now);
        return new MeasuredQuota(measured, strict);
    }

    private Map<String, Double> meterValues(QuotaPrecedence.MeasuredClient client) {
        Measured measured = state.buckets.get(client);
        long now = nowMs.getAsLong();
        if (measured == null) {
            return Map.of(MUTATION_RATE, 0.0, TOKENS, 0.0, QuotaMeters.THROTTLE_TIME, 0.0);
        }
        return Map.of(MUTATION_RATE, measured.rate.rate(now), TOKENS, measured.bucket.tokens(now),
                QuotaMeters.THROTTLE_TIME, measured.rate.averageThrottleMs(now));
    }

    /** A client's bucket, and the rate of its mutations and throttles for its meter. */
    private record Measured(TokenBucket bucket, SampledRate rate) {
    }

    private record State(Map<ClientQuotaEntity, Double> bounds,
                         Map<QuotaPrecedence.MeasuredClient, Measured> buckets) {
        State(Map<ClientQuotaEntity, Double> bounds) {
            this(bounds, new ConcurrentHashMap<>());
        }
    }

    /** One request's view of its client's quota. */
    private final class MeasuredQuota implements MutationQuota {
        private final Measured measured;
        private final boolean strict;
        private boolean refused;

        MeasuredQuota(Measured measured, boolean strict) {
            this.measured = measured;
            this.strict = strict;
        }

        @Override
        public boolean admit(int partitions) {
            long now = nowMs.getAsLong();
            if (!strict) {
                measured.bucket.take(partitions, now);
                return true;
            }
            boolean admitted = measured.bucket.tryTake(partitions, now);
            refused |= !admitted;
            return admitted;
        }

        @Override
        public void giveBack(int partitions) {
            measured.bucket.giveBack(partitions, nowMs.getAsLong());
        }

        /**
         * As Kafka: a request of a strict version is throttled only when some of its topics were
         * refused, one of an older version whenever it left the bucket in debt.
         */
        @Override
        public long throttleMs(int mutations) {
            long now = nowMs.getAsLong();
            long throttle = !strict || refused ? measured.bucket.throttleMs(now) : 0;
            measured.rate.record(mutations, now, throttle);
            return throttle;
        }
    }
}
