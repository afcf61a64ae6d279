package io.gregor.broker.cluster;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.EnvelopeRequest;
import io.gregor.protocol.message.EnvelopeResponse;
import io.gregor.protocol.wire.ApiMessage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a metadata-changing API (DeleteTopics, CreatePartitions, configs, ElectLeaders,
 * reassignments, SCRAM credentials, ACLs, client quotas; and DescribeQuorum, which only the
 * quorum's leader answers in full: {@code Broker.FORWARDED_APIS}) on any node: on the
 * active controller the wrapped handler decides; elsewhere the request goes, as it came and at its
 * version, to the active controller, and its answer comes back to the client.
 * Kafka's brokers forward these the same way, so clients may send them to any broker.
 *
 * <p>The request travels in an Envelope (KIP-590, {@link Envelopes}) that names the client's
 * principal and address, so that the controller authorizes the client, not this node
 * ({@link EnvelopeHandler}).
 *
 * <p>When the controller cannot be reached (no leader, connection lost, timeout) or refuses the
 * envelope (it is no longer the controller, or this node may not send envelopes) the wrapped
 * handler answers, and since this node is not the controller its answer is NOT_CONTROLLER per
 * item, which clients retry.
 */
public final class ForwardingHandler<Q extends ApiMessage, R extends ApiMessage> implements ApiHandler<Q, R> {
    private static final Logger log = LoggerFactory.getLogger(ForwardingHandler.class);

    /** Kafka's broker-to-controller request timeout. */
    private static final long FORWARD_TIMEOUT_MS = 30_000;

    private final ApiHandler<Q, R> local;
    private final ControllerChannel channel;

    public ForwardingHandler(ApiHandler<Q, R> local, ControllerChannel channel) {
        this.local = local;
        this.channel = channel;
    }

    @Override
    public short apiKey() {
        return local.apiKey();
    }

    @Override
    public short minVersion() {
        return local.minVersion();
    }

    @Override
    public short maxVersion() {
        return local.maxVersion();
    }

    @Override
    public CompletableFuture<R> handle(RequestContext context, Q request) {
        Optional<ControllerRoute> controller = channel.remote();
        if (controller.isEmpty()) {
            return local.handle(context, request);
        }
        EnvelopeRequest envelope = Envelopes.wrap(context, request);
        return controller.get().<EnvelopeResponse>send(envelope, Envelopes.VERSION, FORWARD_TIMEOUT_MS)
                .thenApply(answer -> this.<R>opened(context, answer))
                .handle((response, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(response);
                    }
                    log.info("Cannot forward API {} to the active controller at {}: {}", context.apiKey(),
                            controller.get().describe(), failure.toString());
                    return local.handle(context, request);
                })
                .thenCompose(answer -> answer);
    }

    @SuppressWarnings("unchecked")
    private <T> T opened(RequestContext context, EnvelopeResponse envelope) {
        Errors error = Errors.forCode(envelope.errorCode());
        if (error != Errors.NONE) {
            if (error != Errors.NOT_CONTROLLER) {
                // Not the client's doing: this node's principal on the inter-broker listener
                // lacks CLUSTER_ACTION, or the nodes disagree on the envelope's contents.
                log.warn("The active controller refused to serve API {} forwarded for {}: {}", context.apiKey(),
                        context.principal(), error);
            }
            throw new ApiException(error, "envelope refused");
        }
        return (T) Envelopes.unwrapResponse(envelope, context.apiKey(), context.apiVersion());
    }
}
