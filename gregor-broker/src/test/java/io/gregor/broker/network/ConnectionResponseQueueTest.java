package io.gregor.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ApiVersionsResponse;
import io.gregor.protocol.wire.ApiMessage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionResponseQueueTest {
    private final ConnectionResponseQueue queue = new ConnectionResponseQueue();

    @Test
    void holdsLaterResponseUntilEarlierOneCompletes() {
        ConnectionResponseQueue.Slot first = queue.enqueue(ApiKey.API_VERSIONS, 1, (short) 0);
        ConnectionResponseQueue.Slot second = queue.enqueue(ApiKey.API_VERSIONS, 2, (short) 0);

        assertThat(queue.complete(second, response())).isEmpty();
        assertThat(queue.complete(first, response()))
                .extracting(ConnectionResponseQueue.ReadyResponse::correlationId)
                .containsExactly(1, 2);
        assertThat(queue.size()).isZero();
    }

    @Test
    void requestWithoutResponseLeavesTheQueueWithoutHoldingLaterOnes() {
        ConnectionResponseQueue.Slot silent = queue.enqueue(ApiKey.PRODUCE, 1, (short) 9);
        ConnectionResponseQueue.Slot answered = queue.enqueue(ApiKey.API_VERSIONS, 2, (short) 0);

        assertThat(queue.complete(answered, response())).isEmpty();
        assertThat(queue.complete(silent, Optional.empty()))
                .extracting(ConnectionResponseQueue.ReadyResponse::correlationId)
                .containsExactly(2);
    }

    @Test
    void countsRequestsUntilTheirResponsesAreReleased() {
        ConnectionResponseQueue.Slot first = queue.enqueue(ApiKey.API_VERSIONS, 1, (short) 0);
        ConnectionResponseQueue.Slot second = queue.enqueue(ApiKey.API_VERSIONS, 2, (short) 0);
        queue.complete(second, response());

        assertThat(queue.size()).isEqualTo(2);
        queue.complete(first, response());
        assertThat(queue.size()).isZero();
    }

    @Test
    void refusesToCompleteASlotTwice() {
        ConnectionResponseQueue.Slot slot = queue.enqueue(ApiKey.API_VERSIONS, 1, (short) 0);
        queue.complete(slot, response());

        assertThatThrownBy(() -> queue.complete(slot, response())).isInstanceOf(IllegalStateException.class);
    }

    private static Optional<ApiMessage> response() {
        return Optional.of(new ApiVersionsResponse());
    }
}
