package io.gregor.broker.network;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ApiVersionsRequest;
import io.gregor.protocol.message.ApiVersionsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Serves ApiVersions with futures the test completes when it wants, in any order: the
 * stand-in for a long-poll fetch or an acks=all produce.
 */
final class ControlledHandler implements ApiHandler<ApiVersionsRequest, ApiVersionsResponse> {
    final List<CompletableFuture<ApiVersionsResponse>> pending = new ArrayList<>();
    final List<RequestContext> contexts = new ArrayList<>();

    @Override
    public short apiKey() {
        return ApiKey.API_VERSIONS.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<ApiVersionsResponse> handle(RequestContext context, ApiVersionsRequest request) {
        CompletableFuture<ApiVersionsResponse> future = new CompletableFuture<>();
        pending.add(future);
        contexts.add(context);
        return future;
    }

    /** Completes the {@code index}th request with a response whose throttle time is {@code marker}. */
    void answer(int index, int marker) {
        pending.get(index).complete(new ApiVersionsResponse().setThrottleTimeMs(marker));
    }
}
