package io.gregor.broker.network;

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

    /** One request's place in the queue; completed at most once. */
    static final class Slot {
        private final ApiKey apiKey;
        private final int correlationId;
        private final short responseVersion;
        private boolean completed;
        private Optional<ApiMessage> response = Optional.empty();

        private Slot(ApiKey apiKey, int correlationId, short responseVersion) {
            this.apiKey = apiKey;
            this.correlationId = correlationId;
            this.responseVersion = responseVersion;
        }
    }

    /** A response whose turn has come, with what is needed to frame it. */
    record ReadyResponse(ApiKey apiKey, int correlationId, short responseVersion, ApiMessage body) {
    }

    private final ArrayDeque<Slot> inFlight = new ArrayDeque<>();

    /** Reserves the next place in line for a request just read. */
    Slot enqueue(ApiKey apiKey, int correlationId, short responseVersion) {
        Slot slot = new Slot(apiKey, correlationId, responseVersion);
        inFlight.addLast(slot);
        return slot;
    }

    /**
     * Records the outcome of {@code slot}'s request ({@code Optional.empty()} when the client
     * expects no response) and returns the responses that may now be sent, in order.
     */
    List<ReadyResponse> complete(Slot slot, Optional<ApiMessage> response) {
        if (slot.completed) {
            throw new IllegalStateException("Request " + slot.correlationId + " completed twice");
        }
        slot.completed = true;
        slot.response = response;
        List<ReadyResponse> ready = new ArrayList<>();
        while (!inFlight.isEmpty() && inFlight.peekFirst().completed) {
            Slot head = inFlight.removeFirst();
            head.response.ifPresent(body ->
                    ready.add(new ReadyResponse(head.apiKey, head.correlationId, head.responseVersion, body)));
        }
        return ready;
    }

    /** Requests read but not yet released: the measure used for back-pressure. */
    int size() {
        return inFlight.size();
    }
}
