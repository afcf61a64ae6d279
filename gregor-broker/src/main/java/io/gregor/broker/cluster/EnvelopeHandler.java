package io.gregor.broker.cluster;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.ConnectionThrottle;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.EnvelopeRequest;
import io.gregor.protocol.message.EnvelopeResponse;
import io.gregor.protocol.message.RequestHeader;
import io.gregor.protocol.wire.ApiMessage;
import io.gregor.protocol.wire.Readable;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envelope (KIP-590) on the active controller: a request another node forwarded for its client
 * ({@link ForwardingHandler}), served by this node's own handler for the inner API as if that
 * client had sent it here, so that the handler authorizes the client's principal, not the
 * forwarding node's.
 *
 * <p>Whoever sends an envelope chooses the principal it names, so only a principal allowed
 * CLUSTER_ACTION on the cluster may send one (Kafka's rule): the nodes of the cluster, never a
 * client. The inner request goes to {@code local}, the controller APIs without forwarding, so an
 * envelope never travels on, and an envelope in an envelope names no API served there. A node that
 * is not the active controller answers NOT_CONTROLLER, and the sender falls back as it does when
 * the controller cannot be reached.
 */
public final class EnvelopeHandler implements ApiHandler<EnvelopeRequest, EnvelopeResponse> {
    private static final Logger log = LoggerFactory.getLogger(EnvelopeHandler.class);

    /** Bytes of the API key and version that begin every request header. */
    private static final int KEY_AND_VERSION_BYTES = 4;

    private final HandlerRegistry local;
    private final BooleanSupplier activeController;

    /**
     * @param local the handlers that decide the forwardable APIs on this node, none of them forwarding
     * @param activeController whether this node is the active controller now
     */
    public EnvelopeHandler(HandlerRegistry local, BooleanSupplier activeController) {
        this.local = local;
        this.activeController = activeController;
    }

    @Override
    public short apiKey() {
        return ApiKey.ENVELOPE.id();
    }

    @Override
    public short minVersion() {
        return EnvelopeRequest.LOWEST_SUPPORTED_VERSION;
    }

    @Override
    public short maxVersion() {
        return EnvelopeRequest.HIGHEST_SUPPORTED_VERSION;
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<EnvelopeResponse> handle(RequestContext context, EnvelopeRequest envelope) {
        if (!context.authorizedOnCluster(AclOperation.CLUSTER_ACTION)) {
            return failed(Errors.CLUSTER_AUTHORIZATION_FAILED);
        }
        if (!activeController.getAsBoolean()) {
            return failed(Errors.NOT_CONTROLLER);
        }
        Envelopes.Principal principal;
        InetAddress clientAddress;
        try {
            principal = Envelopes.principal(envelope);
            clientAddress = Envelopes.clientAddress(envelope);
        } catch (Exception malformed) {
            log.warn("Envelope from {} on {}: {}", context.principal(), context.listenerName(), malformed.toString());
            return failed(Errors.PRINCIPAL_DESERIALIZATION_FAILURE);
        }
        ByteBuffer data = ByteBuffer.wrap(envelope.requestData());
        if (data.remaining() < KEY_AND_VERSION_BYTES) {
            return failed(Errors.INVALID_REQUEST);
        }
        short apiKey = data.getShort(0);
        short version = data.getShort(2);
        Optional<ApiHandler<ApiMessage, ApiMessage>> handler = local.handlerFor(apiKey)
                .map(h -> (ApiHandler<ApiMessage, ApiMessage>) h)
                .filter(h -> version >= h.minVersion() && version <= h.maxVersion());
        Optional<ApiKey> key = ApiKey.forId(apiKey);
        if (handler.isEmpty() || key.isEmpty()) {
            log.warn("Envelope from {} holds API key {} v{}, which is not forwarded to the controller",
                    context.principal(), apiKey, version);
            return failed(Errors.INVALID_REQUEST);
        }
        RequestHeader header = new RequestHeader();
        ApiMessage request = key.get().newRequest();
        try {
            Readable in = new Readable(data);
            header.read(in, key.get().requestHeaderVersion(version));
            request.read(in, version);
        } catch (RuntimeException malformed) {
            log.warn("Envelope from {} holds a malformed {} v{} request: {}", context.principal(), key.get(),
                    version, malformed.toString());
            return failed(Errors.INVALID_REQUEST);
        }
        // The client's principal and address; the connection, listener and authorizer are this node's.
        RequestContext inner = new RequestContext(apiKey, version, header.correlationId(),
                header.clientId() == null ? "" : header.clientId(), context.connectionId(), clientAddress,
                context.listenerName(), principal.name(), principal.tokenAuthenticated(), context.authorizer(), 0,
                ConnectionThrottle.NONE);
        return handler.get().handle(inner, request).thenApply(response -> new EnvelopeResponse()
                .setResponseData(Envelopes.responseData(header, response)));
    }

    private static CompletableFuture<EnvelopeResponse> failed(Errors error) {
        return CompletableFuture.completedFuture(new EnvelopeResponse().setErrorCode(error.code()));
    }
}
