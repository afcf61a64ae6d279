package io.gregor.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class KafkaMetricNameTest {
    @Test
    void namesAreKafkasObjectNames() throws Exception {
        String name = KafkaMetricName.of("kafka.server", "BrokerTopicMetrics", "BytesInPerSec", "topic", "orders.v1");

        assertThat(name).isEqualTo("kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=orders.v1");
        ObjectName objectName = new ObjectName(name);
        assertThat(objectName.getKeyProperty("topic")).isEqualTo("orders.v1");
    }

    @Test
    void reservedCharactersAreQuoted() throws Exception {
        String name = KafkaMetricName.of("kafka.network", "RequestMetrics", "RequestsPerSec", "request", "a,b=c");

        assertThat(ObjectName.unquote(new ObjectName(name).getKeyProperty("request"))).isEqualTo("a,b=c");
    }

    @Test
    void kafkaMetricsLibraryNamesHaveNoNameAndLeaveOutEmptyTags() throws Exception {
        assertThat(KafkaMetricName.ofTags("kafka.server", "Produce", "user", "", "client-id", "app"))
                .isEqualTo("kafka.server:type=Produce,client-id=app");
        String principal = KafkaMetricName.ofTags("kafka.server", "Fetch", "user", "CN=alice,O=x", "client-id", "");
        assertThat(ObjectName.unquote(new ObjectName(principal).getKeyProperty("user"))).isEqualTo("CN=alice,O=x");
    }

    @Test
    void tagsComeInPairs() {
        assertThatThrownBy(() -> KafkaMetricName.of("kafka.server", "T", "N", "topic"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
