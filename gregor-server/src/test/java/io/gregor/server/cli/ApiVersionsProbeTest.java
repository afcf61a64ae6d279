package io.gregor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.meta.ApiVersionsHandler;
import io.gregor.broker.api.meta.FinalizedFeatures;
import io.gregor.broker.api.meta.SupportedFeature;
import io.gregor.broker.network.SocketServer;
import io.gregor.broker.network.SocketServerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiVersionsProbeTest {

    @Test
    void readsTheApiVersionsAGregorSocketServerOffers() throws Exception {
        HandlerRegistry registry = new HandlerRegistry();
        registry.register(new ApiVersionsHandler(registry, SupportedFeature.kraftBaseline(),
                () -> FinalizedFeatures.kraftBaseline(1, (short) 1, Map.of())));
        try (SocketServer server = new SocketServer(SocketServerConfig.withDefaults(
                List.of(new SocketServerConfig.Listener("PLAINTEXT", "127.0.0.1", 0))), registry)) {
            server.start();

            List<ApiVersionsProbe.ApiRange> ranges =
                    ApiVersionsProbe.probe("127.0.0.1", server.boundPort("PLAINTEXT"), 5_000);

            assertThat(ranges).contains(new ApiVersionsProbe.ApiRange(18, "ApiVersions", 0, 4));
        }
    }
}
