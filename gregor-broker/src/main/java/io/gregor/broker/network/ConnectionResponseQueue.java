package io.gregor.broker.network;

import io.gregor.broker.metrics.AnsweredRequest;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.wire.ApiMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The requests of one connection that have not been answered yet, in arrival order. Kafka
 * clients match responses to requests by order as well as by correlation id, so a response is
 * released only when every earlier request has its response (or was one that expects none).
 *
 * <p>Pure bookkeeping, no I/O. Not thread-safe: it belongs to one connection and is used only on
 * that connection's event loop.
 */
final class ConnectionResponseQueue {

    /**
     * One request's place in the queue; completed at most once. It also carries the moments of the
     * request's phases for its {@link io.gregor.broker.metrics.RequestMetrics}, so that measuring
     * them makes nothing more per request.
     */
    static final class Slot implements AnsweredRequest {
        private final ApiKey apiKey;
        private final int correlationId;
        private final short responseVersion;
        private final boolean fromFollower;
        private final int requestBytes;
        private final long receivedNanos;
        private long handlerStartNanos;
        private long handlerReturnedNanos;
        private long completedNanos;
        private boolean completed;
        private Optional<ApiMessage> response = Optional.empty();

        private Slot(ApiKey apiKey, int correlationId, short responseVersion, boolean fromFollower, int requestBytes,
                     long receivedNanos) {
            this.apiKey = apiKey;
            this.correlationId = correlationId;
            this.responseVersion = responseVersion;
            this.fromFollower = fromFollower;
            this.requestBytes = requestBytes;
            this.receivedNanos = receivedNanos;
            this.handlerStartNanos = receivedNanos;
            this.handlerReturnedNanos = receivedNanos;
            this.completedNanos = receivedNanos;
        }

        /** The handler was called at {@code startNanos} and returned at {@code returnedNanos}. */
        void handled(long startNanos, long returnedNanos) {
            handlerStartNanos = startNanos;
            handlerReturnedNanos = returnedNanos;
        }

        /** The response was ready at {@code nanos}. */
        void completedAt(long nanos) {
            completedNanos = nanos;
        }

        int correlationId() {
            return correlationId;
        }

        short responseVersion() {
            return responseVersion;
        }

        /** The response to send; empty when the client expects none. */
        Optional<ApiMessage> response() {
            return response;
        }

        @Override
        public ApiKey apiKey() {
            return apiKey;
        }

        @Override
        public short version() {
            return responseVersion;
        }

        @Override
        public boolean fromFollower() {
            return fromFollower;
        }

        @Override
        public int requestBytes() {
            return requestBytes;
        }

        @Override
        public long receivedNanos() {
            return receivedNanos;
        }

        @Override
        public long handlerStartNanos() {
            return handlerStartNanos;
        }

        @Override
        public long handlerReturnedNanos() {
            return handlerReturnedNanos;
        }

        @Override
        public long completedNanos() {
            return completedNanos;
        }
    }

    private final ArrayDeque<Slot> inFlight = new ArrayDeque<>();

    /**
     * Reserves the next place in line for a request just read.
     *
     * @param fromFollower whether it is a follower's fetch
     * @param requestBytes the size of its frame
     * @param receivedNanos when its frame was read whole
     */
    Slot enqueue(ApiKey apiKey, int correlationId, short responseVersion, boolean fromFollower, int requestBytes,
                 long receivedNanos) {
        Slot slot = new Slot(apiKey, correlationId, responseVersion, fromFollower, requestBytes, receivedNanos);
        inFlight.addLast(slot);
        return slot;
    }

    /**
     * Records the outcome of {@code slot}'s request ({@code Optional.empty()} when the client
     * expects no response) and returns the requests whose turn has now come, in order: those with
     * a response to send and those without.
     */
    List<Slot> complete(Slot slot, Optional<ApiMessage> response) {
        if (slot.completed) {
            throw new IllegalStateException("Request " + slot.correlationId + " completed twice");
        }
        slot.completed = true;
        slot.response = response;
        List<Slot> released = new ArrayList<>();
        while (!inFlight.isEmpty() && inFlight.peekFirst().completed) {
            released.add(inFlight.removeFirst());
        }
        return released;
    }

    /** Requests read but not yet released: the measure used for back-pressure. */
    int size() {
        return inFlight.size();
    }
}
