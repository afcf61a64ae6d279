package io.gregor.broker.quota;

import com.codahale.metrics.MetricRegistry;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.MetadataPublisher;
import io.gregor.metadata.quota.ClientQuotaEntity;
import io.gregor.metadata.quota.QuotaKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * This broker's client quotas: the producer and consumer byte rates and the partition mutation
 * rate, kept up to date with the quotas of the metadata image, which every broker of the cluster
 * reads alike.
 */
public final class ClientQuotas implements MetadataPublisher {
    private final ClientQuotaManager produce;
    private final ClientQuotaManager fetch;
    private final MutationQuotas mutations;
    /** The metadata offset of the image the quotas were last taken from. */
    private long loadedOffset = -1;

    /**
     * @param samples quota.window.num
     * @param windowMs quota.window.size.seconds, in ms
     * @param metrics where the meters of the measured clients go
     */
    public ClientQuotas(int samples, long windowMs, MetricRegistry metrics) {
        LongSupplier nowMs = () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        this.produce = new ClientQuotaManager(samples, windowMs, nowMs, metrics, "Produce");
        this.fetch = new ClientQuotaManager(samples, windowMs, nowMs, metrics, "Fetch");
        this.mutations = new MutationQuotas(samples, windowMs, nowMs, metrics);
    }

    /** producer_byte_rate, measured on produce requests. */
    public ClientQuotaManager produce() {
        return produce;
    }

    /** consumer_byte_rate, measured on the fetch responses of consumers (never of followers). */
    public ClientQuotaManager fetch() {
        return fetch;
    }

    /** controller_mutation_rate, counted by the requests that create or delete partitions. */
    public MutationQuotas mutations() {
        return mutations;
    }

    /**
     * Takes the quotas of an image; the broker calls it with the image it starts from. An image
     * older than the one taken last is ignored: the start and a commit may race.
     */
    public synchronized void load(MetadataImage image) {
        if (image.nextOffset() < loadedOffset) {
            return;
        }
        loadedOffset = image.nextOffset();
        produce.setBounds(bounds(image, QuotaKey.PRODUCER_BYTE_RATE));
        fetch.setBounds(bounds(image, QuotaKey.CONSUMER_BYTE_RATE));
        mutations.setBounds(bounds(image, QuotaKey.CONTROLLER_MUTATION_RATE));
    }

    @Override
    public void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage) {
        if (delta.clientQuotasChanged()) {
            load(newImage);
        }
    }

    private static Map<ClientQuotaEntity, Double> bounds(MetadataImage image, QuotaKey key) {
        Map<ClientQuotaEntity, Double> bounds = new HashMap<>();
        image.clientQuotas().forEach((entity, values) -> {
            Double value = values.get(key.key());
            if (value != null) {
                bounds.put(entity, value);
            }
        });
        return bounds;
    }
}
