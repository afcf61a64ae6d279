package io.gregor.broker.api.meta;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ApiVersionsRequest;
import io.gregor.protocol.message.ApiVersionsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * ApiVersions (key 18), versions 0-4: the API version ranges of every registered handler and the
 * broker's feature levels. Requests at versions above 4 never reach this class: the network
 * layer answers them with UNSUPPORTED_VERSION itself (KIP-511).
 *
 * <p>Two deliberate departures from a plain list of handler ranges, both as Kafka 4.1 does:
 * <ul>
 *   <li>Produce is advertised from version 0 although versions 0-2 are refused: librdkafka
 *       only enables compressed produce when the broker claims v0 (KAFKA-18659, and the
 *       comment in Kafka's ProduceRequest.json).</li>
 *   <li>SupportedFeatures with a minimum of 0 are left out below ApiVersions v4, where older
 *       clients rejected them (KAFKA-17011).</li>
 * </ul>
 *
 * <p>Thread-safe: it reads the registry and the finalized-features supplier per request.
 */
public final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequest, ApiVersionsResponse> {
    private static final short MIN_VERSION = 0;
    private static final short MAX_VERSION = 4;
    private static final short FIRST_VERSION_WITH_CLIENT_SOFTWARE = 3;
    private static final short FIRST_VERSION_WITH_ZERO_MIN_FEATURES = 4;
    private static final short PRODUCE_ADVERTISED_MIN_VERSION = 0;
    /** KIP-511: what a client software name or version may look like. */
    private static final Pattern CLIENT_SOFTWARE = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?");

    private final HandlerRegistry registry;
    private final List<SupportedFeature> supportedFeatures;
    private final Supplier<FinalizedFeatures> finalizedFeatures;

    /**
     * @param registry the handlers to advertise (this handler included, once registered)
     * @param supportedFeatures what this broker's code supports, e.g.
     *     {@link SupportedFeature#kraftBaseline()}
     * @param finalizedFeatures the cluster's current levels, read on every request
     */
    public ApiVersionsHandler(HandlerRegistry registry, List<SupportedFeature> supportedFeatures,
                              Supplier<FinalizedFeatures> finalizedFeatures) {
        this.registry = registry;
        this.supportedFeatures = List.copyOf(supportedFeatures);
        this.finalizedFeatures = finalizedFeatures;
    }

    @Override
    public short apiKey() {
        return ApiKey.API_VERSIONS.id();
    }

    @Override
    public short minVersion() {
        return MIN_VERSION;
    }

    @Override
    public short maxVersion() {
        return MAX_VERSION;
    }

    @Override
    public CompletableFuture<ApiVersionsResponse> handle(RequestContext context, ApiVersionsRequest request) {
        if (context.apiVersion() >= FIRST_VERSION_WITH_CLIENT_SOFTWARE && !namesClientSoftware(request)) {
            return CompletableFuture.completedFuture(
                    new ApiVersionsResponse().setErrorCode(Errors.INVALID_REQUEST.code()));
        }
        FinalizedFeatures finalized = finalizedFeatures.get();
        ApiVersionsResponse response = new ApiVersionsResponse()
                .setErrorCode(Errors.NONE.code())
                .setApiKeys(apiVersions())
                .setSupportedFeatures(supportedFeatures(context.apiVersion()))
                .setFinalizedFeaturesEpoch(finalized.epoch())
                .setFinalizedFeatures(finalizedFeatures(finalized));
        return CompletableFuture.completedFuture(response);
    }

    private static boolean namesClientSoftware(ApiVersionsRequest request) {
        return CLIENT_SOFTWARE.matcher(request.clientSoftwareName()).matches()
                && CLIENT_SOFTWARE.matcher(request.clientSoftwareVersion()).matches();
    }

    private List<ApiVersionsResponse.ApiVersion> apiVersions() {
        List<ApiVersionsResponse.ApiVersion> apis = new ArrayList<>();
        for (ApiHandler<?, ?> handler : registry.handlers()) {
            short min = handler.apiKey() == ApiKey.PRODUCE.id() ? PRODUCE_ADVERTISED_MIN_VERSION : handler.minVersion();
            apis.add(new ApiVersionsResponse.ApiVersion()
                    .setApiKey(handler.apiKey())
                    .setMinVersion(min)
                    .setMaxVersion(handler.maxVersion()));
        }
        return apis;
    }

    private List<ApiVersionsResponse.SupportedFeatureKey> supportedFeatures(short version) {
        List<ApiVersionsResponse.SupportedFeatureKey> features = new ArrayList<>();
        for (SupportedFeature feature : supportedFeatures) {
            if (feature.minVersion() == 0 && version < FIRST_VERSION_WITH_ZERO_MIN_FEATURES) {
                continue;
            }
            features.add(new ApiVersionsResponse.SupportedFeatureKey()
                    .setName(feature.name())
                    .setMinVersion(feature.minVersion())
                    .setMaxVersion(feature.maxVersion()));
        }
        return features;
    }

    private static List<ApiVersionsResponse.FinalizedFeatureKey> finalizedFeatures(FinalizedFeatures finalized) {
        List<ApiVersionsResponse.FinalizedFeatureKey> features = new ArrayList<>();
        finalized.levels().forEach((name, level) -> features.add(new ApiVersionsResponse.FinalizedFeatureKey()
                .setName(name)
                .setMinVersionLevel(level)
                .setMaxVersionLevel(level)));
        return features;
    }
}
