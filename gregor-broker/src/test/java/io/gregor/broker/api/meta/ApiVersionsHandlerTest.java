package io.gregor.broker.api.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiVersionsRequest;
import io.gregor.protocol.message.ApiVersionsResponse;
import io.gregor.protocol.wire.ApiMessage;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ApiVersionsHandlerTest {
    private final HandlerRegistry registry = new HandlerRegistry();
    private final AtomicReference<FinalizedFeatures> finalized =
            new AtomicReference<>(FinalizedFeatures.kraftBaseline(7, (short) 1, Map.of()));
    private final ApiVersionsHandler handler = new ApiVersionsHandler(registry, List.of(
            new SupportedFeature(SupportedFeature.METADATA_VERSION, SupportedFeature.METADATA_VERSION_MIN,
                    SupportedFeature.METADATA_VERSION_4_1),
            new SupportedFeature(SupportedFeature.KRAFT_VERSION, (short) 0, (short) 1)), finalized::get);

    ApiVersionsHandlerTest() {
        registry.register(handler);
    }

    @Test
    void advertisesEveryRegisteredHandlerWithItsRange() {
        registry.register(new FixedHandler((short) 3, (short) 0, (short) 12));

        ApiVersionsResponse response = answer((short) 4);

        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.apiKeys()).extracting(v -> List.of(v.apiKey(), v.minVersion(), v.maxVersion()))
                .containsExactly(List.of((short) 3, (short) 0, (short) 12), List.of((short) 18, (short) 0, (short) 4));
    }

    @Test
    void advertisesProduceFromVersionZeroForLibrdkafka() {
        registry.register(new FixedHandler((short) 0, (short) 3, (short) 13));

        ApiVersionsResponse.ApiVersion produce = answer((short) 3).apiKeys().get(0);

        assertThat(produce.apiKey()).isZero();
        assertThat(produce.minVersion()).isZero();
        assertThat(produce.maxVersion()).isEqualTo((short) 13);
    }

    @Test
    void leavesOutSupportedFeaturesWithMinimumZeroBelowVersion4() {
        assertThat(answer((short) 3).supportedFeatures()).extracting(ApiVersionsResponse.SupportedFeatureKey::name)
                .containsExactly("metadata.version");
        assertThat(answer((short) 4).supportedFeatures()).extracting(ApiVersionsResponse.SupportedFeatureKey::name)
                .containsExactly("metadata.version", "kraft.version");
    }

    @Test
    void reportsTheCurrentFinalizedLevelsAndEpoch() {
        finalized.set(FinalizedFeatures.kraftBaseline(99, (short) 1, Map.of(SupportedFeature.TRANSACTION_VERSION, (short) 2)));

        ApiVersionsResponse response = answer((short) 4);

        assertThat(response.finalizedFeaturesEpoch()).isEqualTo(99);
        assertThat(response.finalizedFeatures())
                .extracting(f -> f.name() + "=" + f.minVersionLevel() + ".." + f.maxVersionLevel())
                .containsExactlyInAnyOrder("metadata.version=27..27", "kraft.version=1..1", "transaction.version=2..2");
    }

    @Test
    void leavesOutFeaturesFinalizedAtLevelZero() {
        finalized.set(FinalizedFeatures.kraftBaseline(1, (short) 0, Map.of(SupportedFeature.GROUP_VERSION, (short) 0)));

        assertThat(answer((short) 4).finalizedFeatures()).extracting(ApiVersionsResponse.FinalizedFeatureKey::name)
                .containsExactly("metadata.version");
    }

    @Test
    void rejectsVersion3RequestWithInvalidClientSoftwareName() {
        ApiVersionsRequest request = new ApiVersionsRequest()
                .setClientSoftwareName("bad name!").setClientSoftwareVersion("1.0");

        ApiVersionsResponse response = handler.handle(context((short) 3), request).join();

        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void ignoresClientSoftwareFieldsBeforeVersion3() {
        assertThat(handler.handle(context((short) 2), new ApiVersionsRequest()).join().errorCode())
                .isEqualTo(Errors.NONE.code());
    }

    private ApiVersionsResponse answer(short version) {
        ApiVersionsRequest request = new ApiVersionsRequest()
                .setClientSoftwareName("apache-kafka-java").setClientSoftwareVersion("4.1.1");
        return handler.handle(context(version), request).join();
    }

    private static RequestContext context(short version) {
        return new RequestContext((short) 18, version, 1, "test", "conn-1", InetAddress.getLoopbackAddress(), "PLAINTEXT");
    }

    private record FixedHandler(short apiKey, short minVersion, short maxVersion) implements ApiHandler<ApiMessage, ApiMessage> {
        @Override
        public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage request) {
            return ApiHandler.noResponse();
        }
    }
}
