package io.gregor.broker.network;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.fetch.FetchHandler;
import io.gregor.broker.metrics.ConnectionMeters;
import io.gregor.broker.metrics.NetworkMetrics;
import io.gregor.broker.metrics.RequestMetrics;
import io.gregor.broker.security.AuthenticationFailedException;
import io.gregor.broker.security.Authorizer;
import io.gregor.broker.security.SaslConnection;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.SaslAuthenticateRequest;
import io.gregor.protocol.message.SaslHandshakeRequest;
import io.gregor.protocol.wire.ApiMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the request frames of one connection: decodes each, calls its handler, and writes the
 * responses in request order through the connection's {@link ConnectionResponseQueue}.
 *
 * <p>Failure policy, as in Kafka: a request that cannot be served (unknown API key, unsupported
 * version, malformed body) or a handler that fails closes this connection only. An ApiVersions
 * request at an unknown version is answered with UNSUPPORTED_VERSION instead (KIP-511).
 *
 * <p>Authentication: on a SASL listener, a connection's requests before its client authenticated,
 * and its re-authentications, go through {@link #authentication}.
 *
 * <p>Throttling: a handler that finds the client over a quota throttles the connection
 * ({@link ThrottledReads}); the response is still written at once.
 *
 * <p>Back-pressure: when {@code maxInFlightRequests} requests await their responses, the
 * connection stops reading until the oldest are answered ({@link ReadPauses}). Each frame's bytes,
 * reserved in the broker's {@link RequestMemory} by the {@link FrameDecoder}, are given back when
 * the frame is freed.
 *
 * <p>Threading: one instance per channel; every field is touched only on the channel's event
 * loop. Handler futures may complete on any thread; their completion hops back to the loop.
 * Each frame is released when its handler's future completes (see {@link ApiHandler}).
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final RequestDecoder decoder;
    private final String listenerName;
    private final int maxInFlightRequests;
    private final RequestMemory memory;
    private final NetworkMetrics metrics;
    /** Counts the error codes of this connection's responses; used on its event loop only. */
    private final RequestMetrics.ErrorCounter errors;
    /** The meters of the connections of this listener on this connection's network thread. */
    private final ConnectionMeters connectionMeters;
    /** The authentication of a connection on a SASL listener; null on other listeners. */
    private final SaslConnection sasl;
    private final Authorizer authorizer;
    private final ConnectionResponseQueue responses = new ConnectionResponseQueue();
    /** Who sends this connection's requests; found at the first request after authentication. */
    private String principal;
    private String connectionId;
    private InetAddress clientAddress;
    private ReadPauses readPauses;
    private ThrottledReads throttle;
    private boolean closed;
    /** Set when authentication failed: nothing more is read, and the connection closes after a delay. */
    private boolean closing;
    /** Whether a SASL exchange of this connection succeeded before, so that the next is a re-authentication. */
    private boolean authenticatedOnce;

    RequestDispatcher(RequestDecoder decoder, String listenerName, int maxInFlightRequests, RequestMemory memory,
                      NetworkMetrics metrics, ConnectionMeters connectionMeters, SaslConnection sasl,
                      Authorizer authorizer) {
        this.decoder = decoder;
        this.listenerName = listenerName;
        this.maxInFlightRequests = maxInFlightRequests;
        this.memory = memory;
        this.metrics = metrics;
        this.errors = metrics.requests().newErrorCounter();
        this.connectionMeters = connectionMeters;
        this.sasl = sasl;
        this.authorizer = authorizer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        connectionId = channel.localAddress() + "-" + channel.remoteAddress() + "-" + channel.id().asShortText();
        clientAddress = inetAddressOf(channel.remoteAddress());
        readPauses = ReadPauses.of(channel);
        throttle = new ThrottledReads(channel.eventLoop(), readPauses);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        // the frame decoder emits each frame whole, as many bytes as it reserved for it
        int frameBytes = frame.readableBytes();
        if (closed || closing) {
            free(frame, frameBytes);
            return;
        }
        if (sasl != null && sasl.expectsRawToken()) {
            rawSaslToken(ctx, frame, frameBytes);
            return;
        }
        long received = System.nanoTime();
        DecodedRequest decoded;
        try {
            decoded = decoder.decode(frame);
        } catch (RuntimeException e) {
            free(frame, frameBytes);
            throw e;
        }
        if (decoded instanceof DecodedRequest.Dispatch dispatch) {
            if (sasl != null && sasl.claims(dispatch.apiKey())) {
                authentication(ctx, frame, frameBytes, dispatch, received);
            } else {
                dispatch(ctx, frame, frameBytes, dispatch, received);
            }
        } else if (decoded instanceof DecodedRequest.AnswerDirectly answer) {
            free(frame, frameBytes);
            ConnectionResponseQueue.Slot slot = responses.enqueue(answer.apiKey(), answer.header().correlationId(),
                    answer.responseVersion(), false, frameBytes, received);
            onOutcome(ctx, slot, Optional.of(answer.response()));
        } else if (decoded instanceof DecodedRequest.Refuse refuse) {
            free(frame, frameBytes);
            log.warn("Closing connection {} from {}: {}", connectionId, clientAddress, refuse.reason());
            close(ctx);
        }
    }

    /** @param received when the frame was read whole (System.nanoTime), where the request's time starts */
    private void dispatch(ChannelHandlerContext ctx, ByteBuf frame, int frameBytes, DecodedRequest.Dispatch request,
                          long received) {
        short version = request.header().requestApiVersion();
        boolean fromFollower = request.body() instanceof FetchRequest fetch && FetchHandler.replicaId(fetch) >= 0;
        ConnectionResponseQueue.Slot slot = responses.enqueue(request.apiKey(), request.header().correlationId(),
                version, fromFollower, frameBytes, received);
        if (responses.size() >= maxInFlightRequests) {
            readPauses.tooManyInFlight(true);
        }
        // A null client id is legal on the wire; handlers see it as empty, as Kafka's do.
        String clientId = Objects.requireNonNullElse(request.header().clientId(), "");
        RequestContext context = new RequestContext(request.apiKey().id(), version, request.header().correlationId(),
                clientId, connectionId, clientAddress, listenerName, principal(ctx),
                sasl != null && sasl.tokenAuthenticated(), authorizer, frameBytes, throttle);
        long handlerStart = System.nanoTime();
        CompletableFuture<? extends ApiMessage> outcome = invoke(request.handler(), context, request.body());
        slot.handled(handlerStart, System.nanoTime());
        outcome.whenComplete((response, error) -> {
            long completed = System.nanoTime();
            onEventLoop(ctx, frame, frameBytes, () -> {
                slot.completedAt(completed);
                free(frame, frameBytes);
                if (error != null) {
                    log.error("Closing connection {} from {}: handler for {} v{} (correlation id {}) failed",
                            connectionId, clientAddress, request.apiKey(), version,
                            request.header().correlationId(), error);
                    close(ctx);
                } else {
                    onOutcome(ctx, slot, Optional.ofNullable(response));
                }
            });
        });
    }

    /**
     * A request on a SASL listener that its {@link SaslConnection} claims: before the client
     * authenticated, ApiVersions is served, the handshake and the mechanism's messages are answered
     * by the SaslConnection, and anything else closes the connection, as Kafka's brokers do; so
     * does any request but a handshake once the session ended without a re-authentication. After a
     * failed exchange the answer goes out and the connection is closed
     * {@code connection.failed.authentication.delay.ms} later, reading nothing meanwhile.
     */
    private void authentication(ChannelHandlerContext ctx, ByteBuf frame, int frameBytes,
                                DecodedRequest.Dispatch request, long received) {
        ApiKey apiKey = request.apiKey();
        if (sasl.sessionEnded() && apiKey != ApiKey.SASL_HANDSHAKE) {
            free(frame, frameBytes);
            log.info("Closing connection {} from {} on listener {}: its SASL session ended without a "
                    + "re-authentication (connections.max.reauth.ms, or the expiry of its credential)", connectionId, clientAddress, listenerName);
            metrics.sockets().expiredConnectionKilled();
            close(ctx);
            return;
        }
        if (apiKey == ApiKey.API_VERSIONS) {
            dispatch(ctx, frame, frameBytes, request, received);
            return;
        }
        boolean wasAuthenticated = sasl.authenticated();
        long handlerStart = System.nanoTime();
        ApiMessage answer;
        if (apiKey == ApiKey.SASL_HANDSHAKE) {
            answer = sasl.handshake((SaslHandshakeRequest) request.body(), request.header().requestApiVersion());
        } else if (apiKey == ApiKey.SASL_AUTHENTICATE) {
            answer = sasl.authenticate((SaslAuthenticateRequest) request.body());
        } else {
            free(frame, frameBytes);
            log.warn("Closing connection {} from {} on listener {}: {} before SASL authentication", connectionId,
                    clientAddress, listenerName, apiKey);
            close(ctx);
            return;
        }
        // the body is a view of the frame, read by now
        free(frame, frameBytes);
        short version = request.header().requestApiVersion();
        ConnectionResponseQueue.Slot slot = responses.enqueue(apiKey, request.header().correlationId(), version,
                false, frameBytes, received);
        long answered = System.nanoTime();
        slot.handled(handlerStart, answered);
        slot.completedAt(answered);
        onOutcome(ctx, slot, Optional.of(answer));
        afterSaslMessage(ctx, wasAuthenticated);
    }

    /** A bare message of the SASL mechanism, after a version 0 handshake: answered with a bare frame. */
    private void rawSaslToken(ChannelHandlerContext ctx, ByteBuf frame, int frameBytes) {
        boolean wasAuthenticated = sasl.authenticated();
        byte[] token = new byte[frameBytes];
        frame.readBytes(token);
        free(frame, frameBytes);
        try {
            byte[] answer = sasl.rawToken(token);
            ByteBuf reply = ctx.alloc().buffer(Integer.BYTES + answer.length);
            reply.writeInt(answer.length).writeBytes(answer);
            ctx.writeAndFlush(reply, ctx.voidPromise());
        } catch (AuthenticationFailedException e) {
            log.debug("SASL authentication of connection {} failed: {}", connectionId, e.getMessage());
        }
        afterSaslMessage(ctx, wasAuthenticated);
    }

    /** @param wasAuthenticated whether the connection was authenticated before this message */
    private void afterSaslMessage(ChannelHandlerContext ctx, boolean wasAuthenticated) {
        if (sasl.failed()) {
            connectionMeters.authenticationFailed(authenticatedOnce);
            log.info("Closing connection {} from {} on listener {}: SASL authentication failed", connectionId,
                    clientAddress, listenerName);
            closing = true;
            ctx.executor().schedule(() -> close(ctx), sasl.failedAuthenticationDelayMs(), TimeUnit.MILLISECONDS);
        } else if (sasl.authenticated() && !wasAuthenticated) {
            connectionMeters.authenticated(authenticatedOnce);
            authenticatedOnce = true;
            log.debug("Connection {} from {} authenticated with {}", connectionId, clientAddress, sasl.describe());
        }
    }

    /**
     * The SASL user once authenticated; on a TLS connection with a client certificate, its subject's
     * distinguished name (Kafka's default principal mapping); else {@link RequestContext#ANONYMOUS}.
     * ApiVersions before a SASL authentication is anonymous.
     */
    private String principal(ChannelHandlerContext ctx) {
        if (principal != null) {
            return principal;
        }
        if (sasl != null) {
            if (!sasl.authenticated()) {
                return RequestContext.ANONYMOUS;
            }
            principal = sasl.principal();
        } else {
            principal = TlsPeer.principal(ctx.pipeline().get(SslHandler.class)).orElse(RequestContext.ANONYMOUS);
        }
        return principal;
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<? extends ApiMessage> invoke(ApiHandler<?, ?> handler, RequestContext context,
                                                                  ApiMessage body) {
        try {
            CompletableFuture<? extends ApiMessage> future =
                    ((ApiHandler<ApiMessage, ApiMessage>) handler).handle(context, body);
            if (future == null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        handler.getClass().getName() + " returned no future"));
            }
            return future;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Runs {@code task} on the channel's loop; if the loop is gone (shutdown), only frees the frame. */
    private void onEventLoop(ChannelHandlerContext ctx, ByteBuf frame, int frameBytes, Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
            return;
        }
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            free(frame, frameBytes);
        }
    }

    private void free(ByteBuf frame, int frameBytes) {
        frame.release();
        memory.release(frameBytes);
    }

    private void onOutcome(ChannelHandlerContext ctx, ConnectionResponseQueue.Slot slot, Optional<ApiMessage> response) {
        if (closed) {
            return;
        }
        List<ConnectionResponseQueue.Slot> released = responses.complete(slot, response);
        if (!released.isEmpty()) {
            long takenUp = System.nanoTime();
            boolean written = false;
            for (ConnectionResponseQueue.Slot next : released) {
                if (next.response().isPresent()) {
                    if (!write(ctx, next, next.response().get())) {
                        return;
                    }
                    written = true;
                }
            }
            if (written) {
                ctx.flush();
            }
            long sent = System.nanoTime();
            for (ConnectionResponseQueue.Slot next : released) {
                answered(next, takenUp, sent);
            }
        }
        // After the responses: a throttled client gets its answer at once, then waits (KIP-219).
        throttle.pauseIfRequested();
        if (readPauses.tooManyInFlight() && responses.size() < maxInFlightRequests) {
            readPauses.tooManyInFlight(false);
        }
    }

    /** The request's meters: its phases, and the error codes of its response. */
    private void answered(ConnectionResponseQueue.Slot request, long takenUp, long sent) {
        if (request.response().isPresent()) {
            ApiMessage response = request.response().get();
            metrics.requests().answered(request, takenUp, sent, response.throttleTimeMs());
            errors.count(request.apiKey(), response);
        } else {
            metrics.requests().answered(request, takenUp, sent, 0);
        }
    }

    private boolean write(ChannelHandlerContext ctx, ConnectionResponseQueue.Slot response, ApiMessage body) {
        List<Object> parts;
        try {
            parts = ResponseWriter.encodeFrame(ctx.alloc(), response.correlationId(),
                    response.apiKey().responseHeaderVersion(response.responseVersion()),
                    body, response.responseVersion());
        } catch (RuntimeException e) {
            log.error("Closing connection {} from {}: cannot encode {} v{} response (correlation id {})",
                    connectionId, clientAddress, response.apiKey(), response.responseVersion(),
                    response.correlationId(), e);
            close(ctx);
            return false;
        }
        for (Object part : parts) {
            ctx.write(part, ctx.voidPromise());
        }
        return true;
    }

    /**
     * {@code connections.max.idle.ms} passed without a byte read or written: closes the
     * connection, unless a request of it is still in progress (a long-polling fetch, a join
     * waiting for its group), as its client is then waiting for the broker, not idle.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.ALL_IDLE) {
            if (responses.size() == 0 && !closed) {
                log.debug("Closing connection {} from {}: idle for connections.max.idle.ms", connectionId,
                        clientAddress);
                close(ctx);
            }
            return;
        }
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            // a failed handshake fails the authentication on any TLS listener; a successful one
            // completes it where no SASL exchange follows
            if (!handshake.isSuccess()) {
                connectionMeters.authenticationFailed(false);
            } else if (sasl == null) {
                connectionMeters.authenticated(false);
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    /**
     * A new connection. On a PLAINTEXT listener it counts as authenticated at once, as in Kafka; on
     * an SSL listener once its TLS handshake succeeded, on a SASL one once its SASL exchange did.
     */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connectionMeters.connectionOpened();
        if (sasl == null && ctx.pipeline().get(SslHandler.class) == null) {
            connectionMeters.authenticated(false);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        connectionMeters.connectionClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException tls) {
            // A client (or node) whose certificate is refused, or which refuses ours, retries: one
            // line each time, the reason without a stack trace that would say nothing more.
            log.warn("Closing connection {} from {}: TLS failed: {}", connectionId, clientAddress, tls.getMessage());
        } else {
            log.warn("Closing connection {} from {} after an error", connectionId, clientAddress, cause);
        }
        close(ctx);
    }

    private void close(ChannelHandlerContext ctx) {
        closed = true;
        ctx.close();
    }

    /** In-process channels (tests) have no IP address; they are local by definition. */
    private static InetAddress inetAddressOf(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : InetAddress.getLoopbackAddress();
    }
}
