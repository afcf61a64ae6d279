package io.gregor.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.metrics.AttributeGauge;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class JmxMetricsTest {
    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();

    @Test
    void metersBecomeMBeansUnderTheirNamesAndGoWhenRemovedOrAtClose() throws Exception {
        ObjectName before = new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=jmx-a");
        ObjectName after = new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=jmx-b");
        ObjectName removed = new ObjectName("kafka.log:type=Log,name=Size,topic=jmx-c,partition=0");
        try (JmxMetrics metrics = new JmxMetrics()) {
            metrics.registry().meter(before.toString()).mark(7);

            metrics.exposeInBackground();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> mbeans.isRegistered(before));
            // counted before the MBeans were there
            assertThat(mbeans.getAttribute(before, "Count")).isEqualTo(7L);

            // meters made later follow, live
            metrics.registry().meter(after.toString()).mark();
            metrics.registry().gauge(removed.toString(), () -> () -> 42L);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    mbeans.isRegistered(after) && mbeans.isRegistered(removed));
            metrics.registry().meter(after.toString()).mark();
            assertThat(mbeans.getAttribute(after, "Count")).isEqualTo(2L);
            assertThat(mbeans.getAttribute(removed, "Value")).isEqualTo(42L);

            metrics.registry().remove(removed.toString());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !mbeans.isRegistered(removed));
        }
        assertThat(mbeans.isRegistered(before)).isFalse();
        assertThat(mbeans.isRegistered(after)).isFalse();
    }

    @Test
    void anAttributeGaugeIsOneMBeanWithItsAttributesAsKafkasOwnMetricsHaveThem() throws Exception {
        ObjectName quota = new ObjectName("kafka.server:type=Produce,user=jmx-alice,client-id=app");
        ObjectName gone = new ObjectName("kafka.server:type=Fetch,client-id=jmx-gone");
        AtomicReference<Double> rate = new AtomicReference<>(1_500.0);
        AttributeGauge gauge = () -> Map.of("byte-rate", rate.get(), "throttle-time", 250.0);
        try (JmxMetrics metrics = new JmxMetrics()) {
            metrics.exposeInBackground();
            metrics.registry().gauge(quota.toString(), () -> gauge);
            metrics.registry().gauge(gone.toString(), () -> gauge);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    mbeans.isRegistered(quota) && mbeans.isRegistered(gone));
            assertThat(mbeans.getAttribute(quota, "byte-rate")).isEqualTo(1_500.0);
            assertThat(mbeans.getAttribute(quota, "throttle-time")).isEqualTo(250.0);
            rate.set(10.0);
            assertThat(mbeans.getAttribute(quota, "byte-rate")).isEqualTo(10.0);

            metrics.registry().remove(gone.toString());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !mbeans.isRegistered(gone));
        }
        assertThat(mbeans.isRegistered(quota)).isFalse();
    }
}
