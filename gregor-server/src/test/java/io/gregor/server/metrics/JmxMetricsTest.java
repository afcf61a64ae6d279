package io.gregor.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
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
}
