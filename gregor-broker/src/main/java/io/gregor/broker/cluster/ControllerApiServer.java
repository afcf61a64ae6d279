package io.gregor.broker.cluster;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.security.Authorizer;
import io.gregor.metadata.quorum.ControllerRequestHandler;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.wire.ApiMessage;
import io.gregor.protocol.wire.Readable;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The controller APIs of a controller node (BrokerRegistration, BrokerHeartbeat, AlterPartition
 * and the metadata changes other nodes forward) served on its controller listener, through the
 * metadata quorum's transport: what lets a controller-only node, which has no Kafka listener, be
 * the active controller. A request that names an API or version not served here fails, and the
 * sender treats that like a lost connection.
 *
 * <p>The transport does not authenticate, so requests here come from {@link RequestContext#ANONYMOUS}
 * and are authorized as such by the node's authorizer; the requests other nodes forward for their
 * clients come in Envelopes ({@link EnvelopeHandler}), which name the client.
 */
public final class ControllerApiServer implements ControllerRequestHandler {
    /** Handlers see these in place of a connection: the request came over the quorum's transport. */
    private static final String CONNECTION_ID = "metadata-quorum";
    private static final String CLIENT_ID = "gregor-controller-request";

    private final HandlerRegistry handlers;
    private final String listenerName;
    private final Authorizer authorizer;

    public ControllerApiServer(HandlerRegistry handlers, String controllerListenerName, Authorizer authorizer) {
        this.handlers = handlers;
        this.listenerName = controllerListenerName;
        this.authorizer = authorizer;
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<ByteBuffer> handle(ByteBuffer bytes) {
        ControllerRequestCodec.Frame frame = ControllerRequestCodec.Frame.of(bytes);
        ApiHandler<ApiMessage, ApiMessage> handler = (ApiHandler<ApiMessage, ApiMessage>) handlers
                .handlerFor(frame.apiKey())
                .filter(h -> frame.version() >= h.minVersion() && frame.version() <= h.maxVersion())
                .orElseThrow(() -> new IllegalArgumentException("API key " + frame.apiKey() + " v" + frame.version()
                        + " is not served on the controller listener"));
        ApiKey apiKey = ApiKey.forId(frame.apiKey()).orElseThrow();
        ApiMessage request = apiKey.newRequest();
        request.read(new Readable(frame.body()), frame.version());
        RequestContext context = new RequestContext(frame.apiKey(), frame.version(), 0, CLIENT_ID, CONNECTION_ID,
                InetAddress.getLoopbackAddress(), listenerName, RequestContext.ANONYMOUS, authorizer);
        return handler.handle(context, request)
                .thenApply(response -> ControllerRequestCodec.encodeResponse(response, frame.version()));
    }
}
