package io.gregor.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.protocol.wire.ApiMessage;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HandlerRegistryTest {

    @Test
    void findsHandlerByApiKeyAndListsHandlersInKeyOrder() {
        FixedHandler metadata = new FixedHandler((short) 3, (short) 0, (short) 12);
        FixedHandler produce = new FixedHandler((short) 0, (short) 3, (short) 13);
        HandlerRegistry registry = new HandlerRegistry().register(metadata).register(produce);

        assertThat(registry.handlerFor((short) 3)).containsSame(metadata);
        assertThat(registry.handlerFor((short) 1)).isEmpty();
        assertThat(registry.handlers()).containsExactly(produce, metadata);
    }

    @Test
    void refusesSecondHandlerForTheSameApiKey() {
        HandlerRegistry registry = new HandlerRegistry().register(new FixedHandler((short) 3, (short) 0, (short) 12));

        assertThatThrownBy(() -> registry.register(new FixedHandler((short) 3, (short) 0, (short) 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("API key 3");
    }

    @Test
    void refusesHandlerWithEmptyVersionRange() {
        assertThatThrownBy(() -> new HandlerRegistry().register(new FixedHandler((short) 3, (short) 5, (short) 4)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private record FixedHandler(short apiKey, short minVersion, short maxVersion) implements ApiHandler<ApiMessage, ApiMessage> {
        @Override
        public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage request) {
            return ApiHandler.noResponse();
        }
    }
}
