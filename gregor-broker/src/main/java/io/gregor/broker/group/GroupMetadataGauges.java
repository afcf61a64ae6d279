package io.gregor.broker.group;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.metrics.KafkaMetricName;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Kafka's gauges of the groups coordinated on this broker,
 * {@code kafka.coordinator.group:type=GroupMetadataManager}: {@code NumGroups} (classic groups, as
 * Kafka 4 counts them), {@code NumGroupsStable}, {@code NumGroupsPreparingRebalance},
 * {@code NumGroupsCompletingRebalance}, {@code NumGroupsEmpty}, {@code NumGroupsDead}, and
 * {@code NumOffsets}, the committed offsets of all groups.
 *
 * <p>The groups live on the coordinator's threads, which count them; a gauge never waits for
 * that. It shows the last count, and asks for a new one when that is more than a second old, so a
 * dashboard polling every few seconds sees counts at most one poll old.
 */
public final class GroupMetadataGauges {
    private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Supplier<CompletableFuture<GroupCounts>> counter;
    private final AtomicBoolean counting = new AtomicBoolean();
    private volatile GroupCounts last = GroupCounts.NONE;
    private volatile long countedAt = System.nanoTime() - 2 * MAX_AGE_NANOS;

    GroupMetadataGauges(Supplier<CompletableFuture<GroupCounts>> counter) {
        this.counter = counter;
    }

    public static void register(MetricRegistry registry, GroupCoordinator coordinator) {
        new GroupMetadataGauges(coordinator::counts).register(registry);
    }

    void register(MetricRegistry registry) {
        gauge(registry, "NumGroups", GroupCounts::classicGroupCount);
        gauge(registry, "NumGroupsStable", counts -> counts.classicGroups(GroupState.STABLE));
        gauge(registry, "NumGroupsPreparingRebalance", counts -> counts.classicGroups(GroupState.PREPARING_REBALANCE));
        gauge(registry, "NumGroupsCompletingRebalance",
                counts -> counts.classicGroups(GroupState.COMPLETING_REBALANCE));
        gauge(registry, "NumGroupsEmpty", counts -> counts.classicGroups(GroupState.EMPTY));
        gauge(registry, "NumGroupsDead", counts -> counts.classicGroups(GroupState.DEAD));
        gauge(registry, "NumOffsets", GroupCounts::offsets);
    }

    private void gauge(MetricRegistry registry, String name, ToLongFunction<GroupCounts> value) {
        registry.register(KafkaMetricName.of("kafka.coordinator.group", "GroupMetadataManager", name),
                (Gauge<Long>) () -> value.applyAsLong(current()));
    }

    /** The last count; asks for a new one when it is too old and none is under way. */
    GroupCounts current() {
        if (System.nanoTime() - countedAt > MAX_AGE_NANOS && counting.compareAndSet(false, true)) {
            counter.get().whenComplete((counts, failure) -> {
                if (counts != null) {
                    last = counts;
                }
                countedAt = System.nanoTime();
                counting.set(false);
            });
        }
        return last;
    }
}
