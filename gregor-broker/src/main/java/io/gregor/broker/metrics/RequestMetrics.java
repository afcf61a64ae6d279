package io.gregor.broker.metrics;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.wire.ApiMessage;
import io.gregor.protocol.wire.ErrorCodeVisitor;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Kafka's {@code kafka.network:type=RequestMetrics} meters, per request type
 * ({@code request=Produce}, ...): {@code RequestsPerSec} per version, the histograms of a
 * request's phases in whole milliseconds ({@code RequestQueueTimeMs}, {@code LocalTimeMs},
 * {@code RemoteTimeMs}, {@code ResponseQueueTimeMs}, {@code ResponseSendTimeMs} and their sum
 * {@code TotalTimeMs}), {@code ThrottleTimeMs}, {@code RequestBytes}, and {@code ErrorsPerSec}
 * per request type and error ({@code request=Produce,error=NONE}). As in Kafka, a fetch counts
 * under {@code Fetch} and also under {@code FetchConsumer} or {@code FetchFollower}, except in
 * {@code ErrorsPerSec}.
 *
 * <p>How Gregor's request path maps onto Kafka's phases, which assume a network thread that
 * queues each request for a pool of request handlers:
 * <ul>
 *   <li>request queue: from the frame read whole until its handler is called, on the same network
 *       thread at once: the decoding of the request. Gregor has no queue there.</li>
 *   <li>local: the handler's call on the network thread: all the work of a produce to a leader, a
 *       fetch of a log's tail, a metadata request.</li>
 *   <li>remote: from the handler's return until its response is ready: an acks=all produce
 *       waiting for the followers, a long-polling fetch waiting for data, and also work the
 *       handler handed to an I/O thread (old segments, offsets by time; their queue is
 *       {@code RequestQueueSize}), a coordinator or the active controller.</li>
 *   <li>response queue: from then until the network thread writes it, including the wait for the
 *       responses to the connection's earlier requests, which go first.</li>
 *   <li>response send: encoding the response and handing it to the socket; Gregor does not wait
 *       for the socket to take the last byte, which Kafka's does.</li>
 * </ul>
 *
 * <p>A request type's meters are made with its first request, so a broker that never saw a
 * request of an API shows none for it, as Kafka's does; lookups after that are array reads. The
 * phase histograms keep the last requests' values ({@link RecentSamplesReservoir}), so that
 * recording them allocates nothing.
 */
public final class RequestMetrics {
    private static final String DOMAIN = "kafka.network";
    private static final String TYPE = "RequestMetrics";
    private static final String FETCH_CONSUMER = "FetchConsumer";
    private static final String FETCH_FOLLOWER = "FetchFollower";
    private static final double NANOS_PER_MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final MetricRegistry registry;
    /** Room per request type for every version any API has: requests are only dispatched at versions that exist. */
    private final int versionSlots;
    /** The first slot after the APIs': {@code FetchConsumer}, then {@code FetchFollower}. */
    private final int fetchConsumerSlot;
    /** Per request type, by API id then the two fetch kinds. */
    private final AtomicReferenceArray<RequestTypeMeters> types;
    /** The request types' names, as {@link #types}; made once, so that a lookup makes nothing. */
    private final String[] typeNames;
    /** Per API id and error, {@code (code + 1)}: {@code UNKNOWN_SERVER_ERROR} is -1. */
    private final AtomicReferenceArray<Meter> errors;
    private final int errorSlots;

    public RequestMetrics(MetricRegistry registry) {
        this.registry = registry;
        int apiSlots = 0;
        int versionSlots = 0;
        for (ApiKey key : ApiKey.values()) {
            apiSlots = Math.max(apiSlots, key.id() + 1);
            versionSlots = Math.max(versionSlots, key.highestVersion() + 1);
        }
        int highestError = 0;
        for (Errors error : Errors.values()) {
            highestError = Math.max(highestError, error.code());
        }
        this.versionSlots = versionSlots;
        this.fetchConsumerSlot = apiSlots;
        this.types = new AtomicReferenceArray<>(apiSlots + 2);
        this.typeNames = new String[apiSlots + 2];
        for (ApiKey key : ApiKey.values()) {
            typeNames[key.id()] = requestName(key);
        }
        typeNames[fetchConsumerSlot] = FETCH_CONSUMER;
        typeNames[fetchConsumerSlot + 1] = FETCH_FOLLOWER;
        this.errorSlots = highestError + 2;
        this.errors = new AtomicReferenceArray<>(apiSlots * errorSlots);
    }

    /**
     * Records a request now written to its connection ({@code response} empty when none is
     * sent), which the network thread took up at {@code takenUpNanos} and finished writing at
     * {@code sentNanos}.
     *
     * @param throttleTimeMs the throttle its response tells the client, 0 without one
     */
    public void answered(AnsweredRequest request, long takenUpNanos, long sentNanos, int throttleTimeMs) {
        ApiKey apiKey = request.apiKey();
        record(type(apiKey.id()), request, takenUpNanos, sentNanos, throttleTimeMs);
        if (apiKey == ApiKey.FETCH) {
            record(type(fetchConsumerSlot + (request.fromFollower() ? 1 : 0)), request, takenUpNanos, sentNanos,
                    throttleTimeMs);
        }
    }

    private void record(RequestTypeMeters meters, AnsweredRequest request, long takenUpNanos, long sentNanos,
                        int throttleTimeMs) {
        short version = request.version();
        if (version >= 0 && version < versionSlots) {
            meters.requests(version).mark();
        }
        meters.requestQueueTime.update(ms(request.handlerStartNanos() - request.receivedNanos()));
        meters.localTime.update(ms(request.handlerReturnedNanos() - request.handlerStartNanos()));
        meters.remoteTime.update(ms(request.completedNanos() - request.handlerReturnedNanos()));
        meters.responseQueueTime.update(ms(takenUpNanos - request.completedNanos()));
        meters.responseSendTime.update(ms(sentNanos - takenUpNanos));
        meters.totalTime.update(ms(sentNanos - request.receivedNanos()));
        meters.throttleTime.update(throttleTimeMs);
        meters.requestBytes.update(request.requestBytes());
    }

    /** Whole milliseconds, rounded, as Kafka records them; never below 0. */
    private static long ms(long nanos) {
        return Math.max(0, Math.round(nanos / NANOS_PER_MS));
    }

    /**
     * A counter of the error codes of one connection's responses into {@code ErrorsPerSec}: one per
     * connection, used on its network thread only, so that counting allocates nothing. Like codes
     * in a row (a produce response's partitions, mostly {@code NONE}) are marked at once.
     */
    public ErrorCounter newErrorCounter() {
        return new ErrorCounter();
    }

    private RequestTypeMeters type(int slot) {
        RequestTypeMeters meters = types.get(slot);
        if (meters == null) {
            // Two threads may both get here; the registry hands both the same meters.
            meters = new RequestTypeMeters(typeNames[slot]);
            types.set(slot, meters);
        }
        return meters;
    }

    private Meter errorMeter(ApiKey apiKey, short code) {
        int slot = apiKey.id() * errorSlots + code + 1;
        Meter meter = errors.get(slot);
        if (meter == null) {
            meter = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, "ErrorsPerSec",
                    "request", requestName(apiKey), "error", Errors.forCode(code).name()));
            errors.set(slot, meter);
        }
        return meter;
    }

    /** Kafka's name of an API, as its request metrics carry it: {@code LIST_OFFSETS} is {@code ListOffsets}. */
    static String requestName(ApiKey apiKey) {
        StringBuilder name = new StringBuilder();
        for (String word : apiKey.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    /** See {@link #newErrorCounter()}. Not thread-safe. */
    public final class ErrorCounter implements ErrorCodeVisitor {
        private ApiKey apiKey;
        private short code;
        private long run;

        private ErrorCounter() {
        }

        /** Counts each error code of {@code response}, a response of {@code apiKey}. */
        public void count(ApiKey apiKey, ApiMessage response) {
            this.apiKey = apiKey;
            run = 0;
            response.visitErrorCodes(this);
            markRun();
        }

        @Override
        public void errorCode(short code) {
            if (run > 0 && code == this.code) {
                run++;
                return;
            }
            markRun();
            this.code = code;
            run = 1;
        }

        private void markRun() {
            if (run > 0 && code >= -1 && code + 1 < errorSlots) {
                errorMeter(apiKey, code).mark(run);
            }
            run = 0;
        }
    }

    /** The meters of one request type, all made at once. */
    private final class RequestTypeMeters {
        private final String name;
        private final AtomicReferenceArray<Meter> requests = new AtomicReferenceArray<>(versionSlots);
        private final Histogram requestQueueTime;
        private final Histogram localTime;
        private final Histogram remoteTime;
        private final Histogram responseQueueTime;
        private final Histogram responseSendTime;
        private final Histogram totalTime;
        private final Histogram throttleTime;
        private final Histogram requestBytes;

        RequestTypeMeters(String name) {
            this.name = name;
            requestQueueTime = recentSamples("RequestQueueTimeMs");
            localTime = recentSamples("LocalTimeMs");
            remoteTime = recentSamples("RemoteTimeMs");
            responseQueueTime = recentSamples("ResponseQueueTimeMs");
            responseSendTime = recentSamples("ResponseSendTimeMs");
            // Kafka's reservoir (biased to the last five minutes), without the lock that network
            // threads answering at once would share; kept as it was before the phases came
            totalTime = registry.histogram(KafkaMetricName.of(DOMAIN, TYPE, "TotalTimeMs", "request", name),
                    () -> new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build()));
            throttleTime = recentSamples("ThrottleTimeMs");
            requestBytes = recentSamples("RequestBytes");
        }

        private Histogram recentSamples(String metric) {
            return registry.histogram(KafkaMetricName.of(DOMAIN, TYPE, metric, "request", name),
                    () -> new Histogram(new RecentSamplesReservoir()));
        }

        Meter requests(short version) {
            Meter meter = requests.get(version);
            if (meter == null) {
                meter = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, "RequestsPerSec",
                        "request", name, "version", Short.toString(version)));
                requests.set(version, meter);
            }
            return meter;
        }
    }
}
