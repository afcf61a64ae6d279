package io.gregor.broker.cluster;

import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.wire.ApiMessage;
import java.util.concurrent.CompletableFuture;

/**
 * The way to an active controller that is not a broker (or has not registered as one yet): its
 * controller listener, through the metadata quorum's transport ({@link ControllerApiServer}
 * answers there).
 */
final class QuorumControllerRoute implements ControllerRoute {
    private final QuorumController controller;
    private final int nodeId;

    QuorumControllerRoute(QuorumController controller, int nodeId) {
        this.controller = controller;
        this.nodeId = nodeId;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R extends ApiMessage> CompletableFuture<R> send(ApiMessage request, short version, long timeoutMs) {
        ApiKey apiKey;
        try {
            apiKey = ApiKey.forId(request.apiKey()).orElseThrow();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return controller.sendToController(nodeId, ControllerRequestCodec.encodeRequest(request, version), timeoutMs)
                .thenApply(bytes -> (R) ControllerRequestCodec.decodeResponse(apiKey, version, bytes));
    }

    @Override
    public String describe() {
        return "the controller listener of node " + nodeId;
    }
}
