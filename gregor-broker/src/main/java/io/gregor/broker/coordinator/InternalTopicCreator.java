package io.gregor.broker.coordinator;

import io.gregor.metadata.control.CreatableTopic;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.Errors;
import io.gregor.storage.log.LogConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * Creates a coordinator's internal topic (compacted) through the controller on first use, as
 * Kafka does on the first FindCoordinator. Concurrent callers share one creation in flight.
 *
 * <p>Thread-safe: called from network threads.
 */
final class InternalTopicCreator {
    private final CoordinatorTopic topic;
    private final QuorumController controller;
    private final Logger log;
    private final AtomicReference<CompletableFuture<Void>> creation = new AtomicReference<>();

    InternalTopicCreator(CoordinatorTopic topic, QuorumController controller, Logger log) {
        this.topic = topic;
        this.controller = controller;
        this.log = log;
    }

    /**
     * Completes once the topic exists: at once when it does, else when the controller has
     * created it (TOPIC_ALREADY_EXISTS, or a failure after which it exists anyway, count as
     * created); fails otherwise.
     */
    CompletableFuture<Void> ensureExists() {
        if (exists()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> inFlight = creation.compareAndExchange(null, mine);
        if (inFlight != null) {
            return inFlight;
        }
        Map<String, String> configs = new HashMap<>(topic.configs());
        configs.put(LogConfig.CLEANUP_POLICY, LogConfig.CLEANUP_COMPACT);
        CreatableTopic creatable = new CreatableTopic(topic.name(), OptionalInt.of(topic.partitions()),
                Optional.of(topic.replicationFactor()), Map.of(), configs);
        log.info("Creating {} with {} partitions", topic.name(), topic.partitions());
        controller.createTopics(List.of(creatable), false).whenComplete((results, failure) -> {
            creation.set(null);
            boolean exists = exists();
            if (failure != null && !exists) {
                mine.completeExceptionally(failure);
            } else if (!exists && results.stream().anyMatch(r -> !r.error().isSuccess()
                    && r.error().error() != Errors.TOPIC_ALREADY_EXISTS)) {
                mine.completeExceptionally(results.get(0).error().error().exception(results.get(0).error()
                        .messageOrDefault()));
            } else {
                mine.complete(null);
            }
        });
        return mine;
    }

    private boolean exists() {
        return controller.image().topic(topic.name()).isPresent();
    }
}
