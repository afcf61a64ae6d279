package io.gregor.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ApiVersionsResponse;
import io.gregor.protocol.wire.ApiMessage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionResponseQueueTest {
    private final ConnectionResponseQueue queue = new ConnectionResponseQueue();

    @Test
    void holdsLaterResponseUntilEarlierOneCompletes() {
        ConnectionResponseQueue.Slot first = enqueue(ApiKey.API_VERSIONS, 1, (short) 0);
        ConnectionResponseQueue.Slot second = enqueue(ApiKey.API_VERSIONS, 2, (short) 0);

        assertThat(queue.complete(second, response())).isEmpty();
        assertThat(queue.complete(first, response()))
                .extracting(ConnectionResponseQueue.Slot::correlationId)
                .containsExactly(1, 2);
        assertThat(queue.size()).isZero();
    }

    @Test
    void requestWithoutResponseIsReleasedWithoutOneAndHoldsNoLaterOnes() {
        ConnectionResponseQueue.Slot silent = enqueue(ApiKey.PRODUCE, 1, (short) 9);
        ConnectionResponseQueue.Slot answered = enqueue(ApiKey.API_VERSIONS, 2, (short) 0);

        assertThat(queue.complete(answered, response())).isEmpty();
        assertThat(queue.complete(silent, Optional.empty()))
                .extracting(ConnectionResponseQueue.Slot::correlationId, slot -> slot.response().isPresent())
                .containsExactly(tuple(1, false), tuple(2, true));
    }

    @Test
    void countsRequestsUntilTheirResponsesAreReleased() {
        ConnectionResponseQueue.Slot first = enqueue(ApiKey.API_VERSIONS, 1, (short) 0);
        ConnectionResponseQueue.Slot second = enqueue(ApiKey.API_VERSIONS, 2, (short) 0);
        queue.complete(second, response());

        assertThat(queue.size()).isEqualTo(2);
        queue.complete(first, response());
        assertThat(queue.size()).isZero();
    }

    @Test
    void refusesToCompleteASlotTwice() {
        ConnectionResponseQueue.Slot slot = enqueue(ApiKey.API_VERSIONS, 1, (short) 0);
        queue.complete(slot, response());

        assertThatThrownBy(() -> queue.complete(slot, response())).isInstanceOf(IllegalStateException.class);
    }

    private ConnectionResponseQueue.Slot enqueue(ApiKey apiKey, int correlationId, short version) {
        return queue.enqueue(apiKey, correlationId, version, false, 100, System.nanoTime());
    }

    private static Optional<ApiMessage> response() {
        return Optional.of(new ApiVersionsResponse());
    }
}
