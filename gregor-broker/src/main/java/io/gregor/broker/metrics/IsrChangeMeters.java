package io.gregor.broker.metrics;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;

/**
 * Kafka's {@code kafka.server:type=ReplicaManager} meters {@code IsrShrinksPerSec} and
 * {@code IsrExpandsPerSec}: changes to the in-sync replicas of partitions this broker leads, as
 * the controller committed them. A broker whose ISRs keep shrinking and growing back has
 * followers that cannot keep up.
 */
public final class IsrChangeMeters {
    private final Meter shrinks;
    private final Meter expands;

    public IsrChangeMeters(MetricRegistry registry) {
        this.shrinks = registry.meter(KafkaMetricName.of("kafka.server", "ReplicaManager", "IsrShrinksPerSec"));
        this.expands = registry.meter(KafkaMetricName.of("kafka.server", "ReplicaManager", "IsrExpandsPerSec"));
    }

    /** A change this leader proposed was committed, from {@code before} replicas in sync to {@code after}. */
    public void committed(int before, int after) {
        if (after < before) {
            shrinks.mark();
        } else if (after > before) {
            expands.mark();
        }
    }
}
