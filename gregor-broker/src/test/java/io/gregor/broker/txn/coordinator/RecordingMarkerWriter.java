package io.gregor.broker.txn.coordinator;

import io.gregor.broker.txn.TransactionMarkerWriter;
import io.gregor.broker.txn.TransactionResult;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A marker writer for unit tests: records every call and answers NONE, except for partitions
 * told to fail, which answer NOT_LEADER_OR_FOLLOWER as many times as asked.
 */
final class RecordingMarkerWriter implements TransactionMarkerWriter {
    record Call(long producerId, short producerEpoch, int coordinatorEpoch, TransactionResult result,
                Set<TopicPartition> partitions) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<TopicPartition, Integer> failuresLeft = new ConcurrentHashMap<>();
    private volatile boolean paused;
    private final List<Runnable> pausedCalls = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Map<TopicPartition, Errors>> writeMarkers(long producerId, short producerEpoch,
                                                                      int coordinatorEpoch, TransactionResult result,
                                                                      Collection<TopicPartition> partitions) {
        CompletableFuture<Map<TopicPartition, Errors>> answer = new CompletableFuture<>();
        Runnable write = () -> {
            calls.add(new Call(producerId, producerEpoch, coordinatorEpoch, result, Set.copyOf(partitions)));
            Map<TopicPartition, Errors> errors = new HashMap<>();
            for (TopicPartition partition : partitions) {
                int left = failuresLeft.getOrDefault(partition, 0);
                if (left > 0) {
                    failuresLeft.put(partition, left - 1);
                    errors.put(partition, Errors.NOT_LEADER_OR_FOLLOWER);
                } else {
                    errors.put(partition, Errors.NONE);
                }
            }
            answer.complete(errors);
        };
        if (paused) {
            pausedCalls.add(write);
        } else {
            write.run();
        }
        return answer;
    }

    void failNext(TopicPartition partition, int times) {
        failuresLeft.put(partition, times);
    }

    /** Holds marker writes until {@link #resume()}. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        pausedCalls.forEach(Runnable::run);
        pausedCalls.clear();
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }
}
