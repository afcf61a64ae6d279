package io.gregor.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.FetchResponse;
import io.gregor.protocol.message.ProduceResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final MetricRegistry registry = new MetricRegistry();
    private final RequestMetrics metrics = new RequestMetrics(registry);

    @Test
    void requestsAreCountedPerApiAndVersionAndTimedPerApi() {
        long now = System.nanoTime();
        metrics.answered(request(ApiKey.PRODUCE, 9, false, now - 3 * MS), now, now, 0);
        metrics.answered(request(ApiKey.PRODUCE, 9, false, now), now, now, 0);
        metrics.answered(request(ApiKey.PRODUCE, 11, false, now), now, now, 0);

        assertThat(registry.getMeters().get(
                "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,version=9").getCount())
                .isEqualTo(2);
        assertThat(registry.getMeters().get(
                "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,version=11").getCount())
                .isEqualTo(1);
        Histogram totalTime = histogram("TotalTimeMs", "Produce");
        assertThat(totalTime.getCount()).isEqualTo(3);
        assertThat(totalTime.getSnapshot().getMax()).isGreaterThanOrEqualTo(3);
        // nothing for APIs no request came for
        assertThat(registry.getNames()).noneMatch(name -> name.contains("request=Fetch"));
    }

    @Test
    void eachPhaseIsTheTimeBetweenItsTwoMomentsInWholeMilliseconds() {
        long start = System.nanoTime();
        AnsweredRequest request = new Request(ApiKey.PRODUCE, (short) 9, false, 4_096,
                start, start + MS, start + 3 * MS, start + 10 * MS);
        metrics.answered(request, start + 14 * MS, start + 19 * MS, 250);

        assertThat(histogram("RequestQueueTimeMs", "Produce").getSnapshot().getMax()).isEqualTo(1);
        assertThat(histogram("LocalTimeMs", "Produce").getSnapshot().getMax()).isEqualTo(2);
        assertThat(histogram("RemoteTimeMs", "Produce").getSnapshot().getMax()).isEqualTo(7);
        assertThat(histogram("ResponseQueueTimeMs", "Produce").getSnapshot().getMax()).isEqualTo(4);
        assertThat(histogram("ResponseSendTimeMs", "Produce").getSnapshot().getMax()).isEqualTo(5);
        assertThat(histogram("TotalTimeMs", "Produce").getSnapshot().getMax()).isEqualTo(19);
        assertThat(histogram("ThrottleTimeMs", "Produce").getSnapshot().getMax()).isEqualTo(250);
        assertThat(histogram("RequestBytes", "Produce").getSnapshot().getMax()).isEqualTo(4_096);
    }

    @Test
    void fetchesCountUnderFetchAndUnderTheirKindAsKafkasDo() {
        long now = System.nanoTime();
        metrics.answered(request(ApiKey.FETCH, 17, false, now), now, now, 0);
        metrics.answered(request(ApiKey.FETCH, 17, false, now), now, now, 0);
        metrics.answered(request(ApiKey.FETCH, 17, true, now), now, now, 0);

        assertThat(requests("Fetch", 17)).isEqualTo(3);
        assertThat(requests("FetchConsumer", 17)).isEqualTo(2);
        assertThat(requests("FetchFollower", 17)).isEqualTo(1);
        assertThat(histogram("LocalTimeMs", "FetchConsumer").getCount()).isEqualTo(2);
        assertThat(histogram("TotalTimeMs", "FetchFollower").getCount()).isEqualTo(1);
    }

    @Test
    void errorsAreCountedPerRequestTypeAndErrorNoneIncluded() {
        RequestMetrics.ErrorCounter errors = metrics.newErrorCounter();
        errors.count(ApiKey.PRODUCE, new ProduceResponse().setResponses(List.of(
                new ProduceResponse.TopicProduceResponse().setName("a").setPartitionResponses(List.of(
                        partition(Errors.NONE), partition(Errors.NONE),
                        partition(Errors.UNKNOWN_TOPIC_OR_PARTITION), partition(Errors.NONE))))));
        // a fetch response's own error code counts as well as its partitions'
        errors.count(ApiKey.FETCH, new FetchResponse().setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code()));

        assertThat(errorCount("Produce", "NONE")).isEqualTo(3);
        assertThat(errorCount("Produce", "UNKNOWN_TOPIC_OR_PARTITION")).isEqualTo(1);
        assertThat(errorCount("Fetch", "FETCH_SESSION_ID_NOT_FOUND")).isEqualTo(1);
        assertThat(registry.getNames()).noneMatch(name -> name.contains("request=FetchConsumer,error"));
    }

    @Test
    void apisCarryKafkasNames() {
        assertThat(RequestMetrics.requestName(ApiKey.PRODUCE)).isEqualTo("Produce");
        assertThat(RequestMetrics.requestName(ApiKey.LIST_OFFSETS)).isEqualTo("ListOffsets");
        assertThat(RequestMetrics.requestName(ApiKey.OFFSET_FOR_LEADER_EPOCH)).isEqualTo("OffsetForLeaderEpoch");
        assertThat(RequestMetrics.requestName(ApiKey.API_VERSIONS)).isEqualTo("ApiVersions");
    }

    private static ProduceResponse.PartitionProduceResponse partition(Errors error) {
        return new ProduceResponse.PartitionProduceResponse().setErrorCode(error.code());
    }

    /** A request that spent no time in any phase but its wait before {@code received}. */
    private static AnsweredRequest request(ApiKey apiKey, int version, boolean fromFollower, long received) {
        long now = System.nanoTime();
        return new Request(apiKey, (short) version, fromFollower, 100, received, now, now, now);
    }

    private Histogram histogram(String name, String request) {
        return registry.getHistograms().get("kafka.network:type=RequestMetrics,name=" + name + ",request=" + request);
    }

    private long requests(String request, int version) {
        return registry.getMeters().get("kafka.network:type=RequestMetrics,name=RequestsPerSec,request=" + request
                + ",version=" + version).getCount();
    }

    private long errorCount(String request, String error) {
        return registry.getMeters().get("kafka.network:type=RequestMetrics,name=ErrorsPerSec,request=" + request
                + ",error=" + error).getCount();
    }

    private record Request(ApiKey apiKey, short version, boolean fromFollower, int requestBytes, long receivedNanos,
                           long handlerStartNanos, long handlerReturnedNanos, long completedNanos)
            implements AnsweredRequest {
    }
}
