package io.gregor.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GroupMetadataGaugesTest {
    private final List<CompletableFuture<GroupCounts>> requested = new ArrayList<>();
    private final GroupMetadataGauges gauges = new GroupMetadataGauges(() -> {
        CompletableFuture<GroupCounts> count = new CompletableFuture<>();
        requested.add(count);
        return count;
    });
    private final MetricRegistry registry = new MetricRegistry();

    @Test
    void gaugesShowTheLastCountAndAskForOneAtATimeWithoutWaiting() {
        gauges.register(registry);
        assertThat(gauge("NumGroups")).as("nothing counted yet").isZero();
        assertThat(gauge("NumOffsets")).isZero();
        assertThat(requested).as("one count under way for all the gauges").hasSize(1);

        requested.get(0).complete(GroupCounts.sum(List.of(
                new GroupCounts(Map.of(GroupState.STABLE, 2, GroupState.EMPTY, 1), 7),
                new GroupCounts(Map.of(GroupState.STABLE, 1, GroupState.PREPARING_REBALANCE, 1), 3))));

        assertThat(gauge("NumGroups")).isEqualTo(5);
        assertThat(gauge("NumGroupsStable")).isEqualTo(3);
        assertThat(gauge("NumGroupsEmpty")).isEqualTo(1);
        assertThat(gauge("NumGroupsPreparingRebalance")).isEqualTo(1);
        assertThat(gauge("NumGroupsCompletingRebalance")).isZero();
        assertThat(gauge("NumGroupsDead")).isZero();
        assertThat(gauge("NumOffsets")).isEqualTo(10);
        assertThat(requested).as("a fresh count is not asked again within a second").hasSize(1);
    }

    private long gauge(String name) {
        return ((Number) ((Gauge<?>) registry.getGauges()
                .get("kafka.coordinator.group:type=GroupMetadataManager,name=" + name)).getValue()).longValue();
    }
}
