package io.gregor.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.gregor.protocol.message.ApiKey;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {
    private final MetricRegistry registry = new MetricRegistry();
    private final RequestMetrics metrics = new RequestMetrics(registry);

    @Test
    void requestsAreCountedPerApiAndVersionAndTimedPerApi() {
        long now = System.nanoTime();
        metrics.answered(ApiKey.PRODUCE, (short) 9, now - TimeUnit.MILLISECONDS.toNanos(3));
        metrics.answered(ApiKey.PRODUCE, (short) 9, now);
        metrics.answered(ApiKey.PRODUCE, (short) 11, now);

        assertThat(registry.getMeters().get(
                "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,version=9").getCount())
                .isEqualTo(2);
        assertThat(registry.getMeters().get(
                "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,version=11").getCount())
                .isEqualTo(1);
        var totalTime = registry.getHistograms().get("kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Produce");
        assertThat(totalTime.getCount()).isEqualTo(3);
        assertThat(totalTime.getSnapshot().getMax()).isGreaterThanOrEqualTo(3);
        // nothing for APIs no request came for
        assertThat(registry.getNames()).noneMatch(name -> name.contains("request=Fetch"));
    }

    @Test
    void apisCarryKafkasNames() {
        assertThat(RequestMetrics.requestName(ApiKey.PRODUCE)).isEqualTo("Produce");
        assertThat(RequestMetrics.requestName(ApiKey.LIST_OFFSETS)).isEqualTo("ListOffsets");
        assertThat(RequestMetrics.requestName(ApiKey.OFFSET_FOR_LEADER_EPOCH)).isEqualTo("OffsetForLeaderEpoch");
        assertThat(RequestMetrics.requestName(ApiKey.API_VERSIONS)).isEqualTo("ApiVersions");
    }
}
