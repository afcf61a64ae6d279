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
    void metersBecomeMBeansUnderTheirNamesAndGoAtClose() throws Exception {
        ObjectName before = new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=jmx-a");
        ObjectName after = new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=jmx-b");
        try (JmxMetrics metrics = new JmxMetrics()) {
            metrics.registry().meter(before.toString()).mark(7);

            metrics.exposeInBackground();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> mbeans.isRegistered(before));
            // counted before the MBeans were there
            assertThat(mbeans.getAttribute(before, "Count")).isEqualTo(7L);
            // and meters made later follow
            metrics.registry().meter(after.toString()).mark();
            assertThat(mbeans.isRegistered(after)).isTrue();
            assertThat(mbeans.getAttribute(after, "Count")).isEqualTo(1L);
        }
        assertThat(mbeans.isRegistered(before)).isFalse();
        assertThat(mbeans.isRegistered(after)).isFalse();
    }

    @Test
    void closedBeforeTheBackgroundRegistrationRegistersNothing() throws Exception {
        ObjectName name = new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=jmx-c");
        JmxMetrics metrics = new JmxMetrics();
        metrics.registry().meter(name.toString());
        metrics.close();

        metrics.expose(); // what the background thread runs, once it gets to it

        assertThat(mbeans.isRegistered(name)).isFalse();
    }
}
