package io.gregor.broker.metrics;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.gregor.protocol.message.ApiKey;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Kafka's {@code kafka.network:type=RequestMetrics} meters: {@code RequestsPerSec} per API and
 * version ({@code request=Produce,version=9}) and {@code TotalTimeMs} per API, the time from the
 * request's arrival until its response is handed to the connection, in whole milliseconds as
 * Kafka records it.
 *
 * <p>An API's meters are made the first time a request of it is answered, so a broker that never
 * saw a request of an API shows none for it, as Kafka's does. Lookups after that are an array
 * read: this runs for every request.
 */
public final class RequestMetrics {
    private static final String DOMAIN = "kafka.network";
    private static final String TYPE = "RequestMetrics";

    private final MetricRegistry registry;
    /** Room per API for every version any API has: requests are only dispatched at versions that exist. */
    private final int versionSlots;
    private final AtomicReferenceArray<Meter> requests;
    private final AtomicReferenceArray<Histogram> totalTimes;

    public RequestMetrics(MetricRegistry registry) {
        this.registry = registry;
        int apiSlots = 0;
        int versionSlots = 0;
        for (ApiKey key : ApiKey.values()) {
            apiSlots = Math.max(apiSlots, key.id() + 1);
            versionSlots = Math.max(versionSlots, key.highestVersion() + 1);
        }
        this.versionSlots = versionSlots;
        this.requests = new AtomicReferenceArray<>(apiSlots * versionSlots);
        this.totalTimes = new AtomicReferenceArray<>(apiSlots);
    }

    /** A request of {@code apiKey} at {@code version} that arrived at {@code receivedNanos} is answered now. */
    public void answered(ApiKey apiKey, short version, long receivedNanos) {
        long nanos = System.nanoTime() - receivedNanos;
        if (version >= 0 && version < versionSlots) {
            requests(apiKey, version).mark();
        }
        totalTime(apiKey).update(Math.round((double) nanos / TimeUnit.MILLISECONDS.toNanos(1)));
    }

    private Meter requests(ApiKey apiKey, short version) {
        int slot = apiKey.id() * versionSlots + version;
        Meter meter = requests.get(slot);
        if (meter == null) {
            // Two threads may both get here; the registry hands both the same meter.
            meter = registry.meter(KafkaMetricName.of(DOMAIN, TYPE, "RequestsPerSec",
                    "request", requestName(apiKey), "version", Short.toString(version)));
            requests.set(slot, meter);
        }
        return meter;
    }

    private Histogram totalTime(ApiKey apiKey) {
        Histogram histogram = totalTimes.get(apiKey.id());
        if (histogram == null) {
            // Kafka's reservoir (biased to the last five minutes), without the lock that network
            // threads answering at once would share
            String name = KafkaMetricName.of(DOMAIN, TYPE, "TotalTimeMs", "request", requestName(apiKey));
            histogram = registry.histogram(name,
                    () -> new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build()));
            totalTimes.set(apiKey.id(), histogram);
        }
        return histogram;
    }

    /** Kafka's name of an API, as its request metrics carry it: {@code LIST_OFFSETS} is {@code ListOffsets}. */
    static String requestName(ApiKey apiKey) {
        StringBuilder name = new StringBuilder();
        for (String word : apiKey.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
