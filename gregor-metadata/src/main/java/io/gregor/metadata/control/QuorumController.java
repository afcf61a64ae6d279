package io.gregor.metadata.control;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.MetadataPublisher;
import io.gregor.metadata.quorum.MetadataBatch;
import io.gregor.metadata.quorum.MetadataLog;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.MetadataRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller of cluster metadata. Each operation validates its request against the current
 * image and yields the records to write plus the response ({@link ControllerResult}); the records
 * are appended to the {@link MetadataLog} as one batch, and the image changes only when the
 * committed batch is replayed. A restart replays the same log and reaches the same image; a Raft
 * quorum replacing the local log will do the same on every node.
 *
 * <p>Threading: one thread, the controller's executor, owns the image under construction and
 * calls the log; every public operation is queued onto it and answers with a future. The latest
 * committed image is published through a volatile field, so {@link #image()} may be read from
 * any thread (handlers answer Metadata requests from it without queueing). Publishers run on the
 * controller thread after each committed batch.
 *
 * <p>Each operation decides against the image of every batch committed before it: the local log
 * commits (and replays) within {@code append}, before the next queued operation runs. A log
 * whose commits arrive later (Raft) must keep that property, for example by deciding against an
 * image that already includes the batches still in flight, as Kafka's controller does.
 */
public final class QuorumController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuorumController.class);

    private final MetadataLog metadataLog;
    private final TopicControl topicControl;
    private final ConfigControl configControl;
    private final List<MetadataPublisher> publishers = new CopyOnWriteArrayList<>();
    private final ExecutorService executor;

    private volatile MetadataImage image;
    /** While starting, batches accumulate here so that publishers see the replayed log as one delta. */
    private Optional<MetadataDelta> startupDelta = Optional.empty();

    public QuorumController(String clusterId, MetadataLog metadataLog, ControllerSettings settings) {
        this(clusterId, metadataLog, settings, UUID::randomUUID);
    }

    /** @param topicIds the source of new topic ids; tests pass a deterministic one */
    public QuorumController(String clusterId, MetadataLog metadataLog, ControllerSettings settings,
                           Supplier<UUID> topicIds) {
        this.image = MetadataImage.empty(clusterId);
        this.metadataLog = metadataLog;
        this.topicControl = new TopicControl(settings, topicIds);
        this.configControl = new ConfigControl(settings.configSchema());
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "metadata-controller");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Registers a publisher; register before {@link #start} to see the replayed log. */
    public void addPublisher(MetadataPublisher publisher) {
        publishers.add(publisher);
    }

    /**
     * Replays the log into the image and publishes it (as one delta from the empty image).
     * Completes when the controller is ready for operations.
     */
    public CompletableFuture<MetadataImage> start() {
        return CompletableFuture.supplyAsync(() -> {
            MetadataDelta delta = new MetadataDelta(image);
            startupDelta = Optional.of(delta);
            try {
                metadataLog.start(this::onCommit);
            } catch (IOException e) {
                throw new MetadataLogException("Cannot read the metadata log", e);
            } finally {
                startupDelta = Optional.empty();
            }
            image = delta.apply();
            publish(delta, image);
            log.info("Metadata loaded: {} topics, {} brokers, next offset {}", image.topicsByName().size(),
                    image.brokers().size(), image.nextOffset());
            return image;
        }, executor);
    }

    /** The latest committed image; readable from any thread. */
    public MetadataImage image() {
        return image;
    }

    public CompletableFuture<List<CreateTopicResult>> createTopics(List<CreatableTopic> topics, boolean validateOnly) {
        return run(current -> topicControl.createTopics(current, topics), validateOnly);
    }

    public CompletableFuture<List<DeleteTopicResult>> deleteTopics(List<TopicReference> topics) {
        return run(current -> topicControl.deleteTopics(current, topics), false);
    }

    public CompletableFuture<List<PartitionIncreaseResult>> createPartitions(List<PartitionIncrease> increases,
                                                                             boolean validateOnly) {
        return run(current -> topicControl.createPartitions(current, increases), validateOnly);
    }

    public CompletableFuture<Map<ConfigResource, ApiError>> incrementalAlterConfigs(
            Map<ConfigResource, List<ConfigOperation>> changes, boolean validateOnly) {
        return run(current -> configControl.incrementalAlterConfigs(current, changes), validateOnly);
    }

    /** The legacy AlterConfigs: each resource's overrides are replaced by exactly the given set. */
    public CompletableFuture<Map<ConfigResource, ApiError>> alterConfigs(
            Map<ConfigResource, Map<String, String>> configs, boolean validateOnly) {
        return run(current -> configControl.alterConfigs(current, configs), validateOnly);
    }

    /** Registers a broker, or updates its endpoints and rack; a no-op when nothing changed. */
    public CompletableFuture<Void> registerBroker(BrokerRegistration registration) {
        return run(current -> {
            boolean unchanged = current.broker(registration.id()).filter(registration::equals).isPresent();
            List<MetadataRecord> records = unchanged ? List.of() : List.of(registration.toRecord());
            return new ControllerResult<Void>(records, null);
        }, false);
    }

    @Override
    public void close() throws IOException {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Metadata controller did not finish its queued operations in time");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        metadataLog.close();
    }

    /**
     * Runs one operation on the controller thread: decide against the image, then (unless only
     * validating) commit the records as one batch and answer once they are applied.
     */
    private <T> CompletableFuture<T> run(Function<MetadataImage, ControllerResult<T>> operation,
                                         boolean validateOnly) {
        CompletableFuture<T> response = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    ControllerResult<T> result = operation.apply(image);
                    if (validateOnly || result.records().isEmpty()) {
                        response.complete(result.response());
                        return;
                    }
                    metadataLog.append(result.records()).whenComplete((offset, error) -> {
                        if (error != null) {
                            response.completeExceptionally(new MetadataLogException("Cannot commit metadata", error));
                        } else {
                            response.complete(result.response());
                        }
                    });
                } catch (RuntimeException e) {
                    response.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            response.completeExceptionally(new IllegalStateException("The metadata controller is closed", e));
        }
        return response;
    }

    /** Replays a committed batch into a new image and tells the publishers. Controller thread only. */
    private void onCommit(MetadataBatch batch) {
        if (startupDelta.isPresent()) {
            batch.records().forEach(startupDelta.get()::replay);
            return;
        }
        MetadataDelta delta = new MetadataDelta(image);
        batch.records().forEach(delta::replay);
        image = delta.apply();
        publish(delta, image);
    }

    private void publish(MetadataDelta delta, MetadataImage newImage) {
        for (MetadataPublisher publisher : publishers) {
            try {
                publisher.onMetadataUpdate(delta, newImage);
            } catch (RuntimeException e) {
                // The batch is committed whatever a publisher thinks of it; keep the others informed.
                log.error("Metadata publisher {} failed on the image at offset {}", publisher, newImage.nextOffset(), e);
            }
        }
    }
}
