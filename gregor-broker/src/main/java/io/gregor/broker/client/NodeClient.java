package io.gregor.broker.client;

import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.RequestHeader;
import io.gregor.protocol.message.ResponseHeader;
import io.gregor.protocol.wire.ApiMessage;
import io.gregor.protocol.wire.ByteBufferWriter;
import io.gregor.protocol.wire.Readable;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An asynchronous Kafka-protocol client to one other node (a controller, a partition leader):
 * {@link #send} encodes a generated request message with its request header and returns a future
 * of the decoded response.
 *
 * <ul>
 *   <li><b>Connection.</b> One TCP connection, made on the first request and made again, no sooner
 *       than {@code reconnectBackoffMs} after a failure, when requests wait. Requests are pipelined
 *       and matched to responses by correlation id. Gregor nodes know each other's API versions
 *       (same build), so no ApiVersions exchange precedes the first request: the caller picks
 *       the version.</li>
 *   <li><b>TLS.</b> With TLS in the config, each new connection completes its TLS handshake (the
 *       other node's certificate checked against the trust store, and its host name unless that
 *       check is off) before SASL or any request. A failed handshake fails the waiting requests
 *       with {@link NodeDisconnectedException}, logged once at WARN until a response comes again
 *       (as does a client certificate the other node refuses after the handshake, under TLS 1.3),
 *       and the next request connects again after the backoff. Without TLS, the connection's pipeline
 *       is the same as before TLS existed: no handler of it is added.</li>
 *   <li><b>Authentication.</b> With SASL credentials in the config, each new connection runs the
 *       SASL exchange ({@link SaslAuthenticator}) before any waiting request is written; requests
 *       sent meanwhile wait, and are then pipelined as on a PLAINTEXT connection. When the other
 *       node refuses the credentials, the waiting requests fail with
 *       {@link NodeAuthenticationException} (logged once at WARN until an attempt succeeds) and the
 *       next request connects again after the backoff. Without credentials nothing of this runs.</li>
 *   <li><b>Failures.</b> A future fails with {@link NodeDisconnectedException} when the connection
 *       cannot be made or is lost before the response, and with {@link TimeoutException} when no
 *       response came within the request's timeout (a late response is then dropped). Either way
 *       the request may have been processed by the other node.</li>
 *   <li><b>Threads.</b> All state lives on one Netty event loop; {@link #send} and {@link #close}
 *       may be called from any thread and never block. Futures complete on that event loop: a
 *       caller whose continuation blocks must continue on its own executor
 *       ({@code thenApplyAsync(..., executor)}).</li>
 *   <li><b>Memory.</b> Each response frame is copied into a heap buffer before decoding, so
 *       records in a response (Fetch) stay valid for as long as the caller holds them.</li>
 * </ul>
 */
public final class NodeClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeClient.class);
    private static final int SIZE_PREFIX_BYTES = 4;

    private final EventLoop loop;
    private final String host;
    private final int port;
    private final NodeClientConfig config;
    private final Bootstrap bootstrap;

    // Everything below is touched only on the event loop.
    private final ArrayDeque<Pending> waitingForConnection = new ArrayDeque<>();
    private final Map<Integer, Pending> inFlight = new HashMap<>();
    /** The connection requests are written to: connected and, with SASL, authenticated. */
    private Channel channel;
    /** A connection whose SASL exchange is running; requests wait until it ends. */
    private Channel authenticating;
    /** Whether the last authentication failed, so that a refusal repeated at each retry is logged once. */
    private boolean authenticationFailing;
    /**
     * Whether TLS failed on the last connection, for the same reason. Cleared by the first response
     * after it, not by a handshake: with TLS 1.3 the server refuses a client certificate only after
     * the client's handshake has completed.
     */
    private boolean tlsFailing;
    /** From connect until the connection is ready or has failed, SASL exchange included. */
    private boolean connecting;
    private boolean connectScheduled;
    private long nextConnectNanos;
    private int nextCorrelationId;
    private boolean closed;

    NodeClient(EventLoop loop, String host, int port, NodeClientConfig config) {
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.config = config;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeoutMs())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        config.tls().ifPresent(tls -> ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port)));
                        ch.pipeline().addLast(
                                new LengthFieldBasedFrameDecoder(config.maxResponseBytes(), 0, SIZE_PREFIX_BYTES, 0,
                                        SIZE_PREFIX_BYTES),
                                new ResponseHandler());
                    }
                });
    }

    /** Sends {@code request} at {@code version} with the configured request timeout. */
    public <R extends ApiMessage> CompletableFuture<R> send(ApiMessage request, short version) {
        return send(request, version, config.requestTimeoutMs());
    }

    /**
     * Sends {@code request} at {@code version}; the future completes with the response (of the
     * type that answers the request's API) or fails as the class comment describes. A request
     * waiting on a long poll (Fetch with maxWaitMs) needs a timeout above its wait.
     */
    @SuppressWarnings("unchecked")
    public <R extends ApiMessage> CompletableFuture<R> send(ApiMessage request, short version, long timeoutMs) {
        CompletableFuture<ApiMessage> future = new CompletableFuture<>();
        ApiKey apiKey = ApiKey.forId(request.apiKey()).orElse(null);
        if (apiKey == null || !apiKey.isVersionSupported(version)) {
            future.completeExceptionally(new IllegalArgumentException(
                    "Cannot send API key " + request.apiKey() + " at version " + version));
            return (CompletableFuture<R>) future;
        }
        Pending pending = new Pending(apiKey, version, request, future);
        try {
            loop.execute(() -> enqueue(pending));
            pending.timeout = loop.schedule(() -> timeOut(pending, timeoutMs), timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            future.completeExceptionally(new NodeDisconnectedException("Client to " + address() + " is closed"));
        }
        return (CompletableFuture<R>) future;
    }

    /** Fails every waiting request and closes the connection; later sends fail at once. */
    @Override
    public void close() {
        try {
            loop.execute(() -> {
                closed = true;
                // Fails an authentication under way too, which closes its connection.
                failAll(new NodeDisconnectedException("Client to " + address() + " is closed"));
                if (channel != null) {
                    channel.close();
                    channel = null;
                }
            });
        } catch (RejectedExecutionException alreadyStopped) {
            // The threads are gone (NodeClients closed); so is the connection.
        }
    }

    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "NodeClient(" + address() + ")";
    }

    private void enqueue(Pending pending) {
        if (pending.future.isDone()) {
            return;
        }
        if (closed) {
            pending.fail(new NodeDisconnectedException("Client to " + address() + " is closed"));
        } else if (channel != null) {
            write(channel, pending);
        } else {
            waitingForConnection.add(pending);
            ensureConnecting();
        }
    }

    private void ensureConnecting() {
        if (connecting || connectScheduled || closed) {
            return;
        }
        long delayNanos = nextConnectNanos - System.nanoTime();
        if (delayNanos > 0) {
            connectScheduled = true;
            loop.schedule(() -> {
                connectScheduled = false;
                if (!waitingForConnection.isEmpty()) {
                    ensureConnecting();
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
            return;
        }
        connecting = true;
        bootstrap.connect(host, port).addListener((ChannelFuture connected) -> onConnected(connected));
    }

    private void onConnected(ChannelFuture connected) {
        if (closed) {
            connecting = false;
            connected.channel().close();
            return;
        }
        if (!connected.isSuccess()) {
            connecting = false;
            connectionFailed(new NodeDisconnectedException(
                    "Cannot connect to " + address() + ": " + connected.cause().getMessage(), connected.cause()));
            return;
        }
        SslHandler tls = connected.channel().pipeline().get(SslHandler.class);
        if (tls != null) {
            tls.handshakeFuture().addListener(handshake -> handshaken(connected.channel(), handshake));
            return;
        }
        secured(connected.channel());
    }

    /** The end of a connection's TLS handshake, on the event loop: on to SASL or requests, or closed. */
    private void handshaken(Channel connection, Future<?> handshake) {
        if (closed) {
            connecting = false;
            connection.close();
            return;
        }
        if (handshake.isSuccess()) {
            secured(connection);
            return;
        }
        connecting = false;
        connection.close();
        Throwable cause = handshake.cause();
        tlsFailed(cause);
        connectionFailed(new NodeDisconnectedException("TLS handshake with " + address() + " failed: "
                + rootMessage(cause), cause));
    }

    /** Logs a TLS failure (a certificate refused by either side) once until a response comes again. */
    private void tlsFailed(Throwable cause) {
        if (!tlsFailing) {
            log.warn("TLS handshake with {} failed (retrying every {} ms or more, logged once): {}", address(),
                    config.reconnectBackoffMs(), rootMessage(cause));
            tlsFailing = true;
        }
    }

    /** The innermost reason, which for a refused certificate says which check failed. */
    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(failure.getMessage());
        String rootMessage = String.valueOf(root.getMessage());
        return root == failure || message.contains(rootMessage) ? message : message + ": " + rootMessage;
    }

    /** A connection, with TLS when configured, on which SASL runs when configured; then it is ready. */
    private void secured(Channel connection) {
        if (config.sasl().isPresent()) {
            authenticate(connection, config.sasl().get());
            return;
        }
        connecting = false;
        ready(connection);
    }

    private void ready(Channel connection) {
        channel = connection;
        while (!waitingForConnection.isEmpty()) {
            write(connection, waitingForConnection.poll());
        }
    }

    /** Fails the requests waiting for a connection; the next request connects again after the backoff. */
    private void connectionFailed(IOException failure) {
        nextConnectNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.reconnectBackoffMs());
        List<Pending> waiting = new ArrayList<>(waitingForConnection);
        waitingForConnection.clear();
        waiting.forEach(p -> p.fail(failure));
    }

    private void authenticate(Channel connection, SaslClientCredentials credentials) {
        authenticating = connection;
        SaslAuthenticator.authenticate(credentials, (request, version) -> sendOn(connection, request, version))
                .whenComplete((ignored, failure) -> authenticated(connection, failure));
    }

    /** The end of a connection's SASL exchange, on the event loop: the connection is ready, or closed. */
    private void authenticated(Channel connection, Throwable failure) {
        if (connection != authenticating) {
            return;
        }
        authenticating = null;
        connecting = false;
        if (failure == null) {
            if (authenticationFailing) {
                log.info("Authenticated to {} again", address());
                authenticationFailing = false;
            }
            ready(connection);
            return;
        }
        connection.close();
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof NodeAuthenticationException refused) {
            if (!authenticationFailing) {
                log.warn("Cannot authenticate to {} (retrying every {} ms or more, logged once): {}", address(),
                        config.reconnectBackoffMs(), refused.getMessage());
                authenticationFailing = true;
            }
            connectionFailed(refused);
        } else if (cause instanceof NodeDisconnectedException lost) {
            connectionFailed(lost);
        } else {
            connectionFailed(new NodeDisconnectedException(
                    "SASL authentication to " + address() + " did not complete: " + cause, cause));
        }
    }

    /** A request of the SASL exchange, written on the connection being authenticated. */
    private CompletableFuture<ApiMessage> sendOn(Channel connection, ApiMessage request, short version) {
        CompletableFuture<ApiMessage> future = new CompletableFuture<>();
        Pending pending = new Pending(ApiKey.forId(request.apiKey()).orElseThrow(), version, request, future);
        long timeoutMs = config.requestTimeoutMs();
        pending.timeout = loop.schedule(() -> timeOut(pending, timeoutMs), timeoutMs, TimeUnit.MILLISECONDS);
        write(connection, pending);
        return future;
    }

    private void write(Channel target, Pending pending) {
        if (pending.future.isDone()) {
            return;
        }
        int correlationId = nextCorrelationId++;
        ByteBuf frame;
        try {
            frame = encode(pending, correlationId);
        } catch (RuntimeException e) {
            pending.fail(e);
            return;
        }
        pending.correlationId = correlationId;
        inFlight.put(correlationId, pending);
        target.writeAndFlush(frame).addListener(written -> {
            if (!written.isSuccess()) {
                // The connection is broken; closing it fails what is in flight on it.
                target.close();
            }
        });
    }

    private ByteBuf encode(Pending pending, int correlationId) {
        ByteBufferWriter out = new ByteBufferWriter();
        out.writeInt(0); // size, patched below
        new RequestHeader()
                .setRequestApiKey(pending.apiKey.id())
                .setRequestApiVersion(pending.version)
                .setCorrelationId(correlationId)
                .setClientId(config.clientId())
                .write(out, pending.apiKey.requestHeaderVersion(pending.version));
        pending.request.write(out, pending.version);
        ByteBuffer bytes = out.toByteBuffer();
        bytes.putInt(0, bytes.remaining() - SIZE_PREFIX_BYTES);
        return Unpooled.wrappedBuffer(bytes);
    }

    private void onResponse(ByteBuf frame) {
        Pending pending;
        ByteBuffer copy;
        try {
            pending = inFlight.remove(frame.getInt(frame.readerIndex()));
            if (tlsFailing) {
                log.info("TLS with {} works again", address());
                tlsFailing = false;
            }
            if (pending == null) {
                return; // the answer to a request that timed out
            }
            copy = ByteBuffer.allocate(frame.readableBytes());
            frame.readBytes(copy);
            copy.flip();
        } finally {
            frame.release();
        }
        try {
            Readable in = new Readable(copy);
            new ResponseHeader().read(in, pending.apiKey.responseHeaderVersion(pending.version));
            ApiMessage response = pending.apiKey.newResponse();
            response.read(in, pending.version);
            pending.complete(response);
        } catch (RuntimeException malformed) {
            pending.fail(new IllegalStateException("Malformed " + pending.apiKey + " v" + pending.version
                    + " response from " + address(), malformed));
        }
    }

    private void onDisconnected(Channel lost) {
        if (lost == authenticating) {
            // Failing the exchange's request in flight ends it, and authenticated() fails the rest.
            failInFlight(new NodeDisconnectedException("Connection to " + address() + " lost during SASL authentication"));
            return;
        }
        if (lost != channel) {
            return;
        }
        channel = null;
        nextConnectNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.reconnectBackoffMs());
        failInFlight(new NodeDisconnectedException("Connection to " + address() + " lost"));
        if (!waitingForConnection.isEmpty()) {
            ensureConnecting();
        }
    }

    private void timeOut(Pending pending, long timeoutMs) {
        if (pending.future.isDone()) {
            return;
        }
        if (pending.correlationId >= 0) {
            inFlight.remove(pending.correlationId);
        } else {
            waitingForConnection.remove(pending);
        }
        pending.fail(new TimeoutException("No " + pending.apiKey + " v" + pending.version + " response from "
                + address() + " within " + timeoutMs + " ms"));
    }

    private void failInFlight(Throwable cause) {
        List<Pending> lostRequests = new ArrayList<>(inFlight.values());
        inFlight.clear();
        lostRequests.forEach(p -> p.fail(cause));
    }

    private void failAll(Throwable cause) {
        List<Pending> all = new ArrayList<>(inFlight.values());
        all.addAll(waitingForConnection);
        inFlight.clear();
        waitingForConnection.clear();
        all.forEach(p -> p.fail(cause));
    }

    /** A request from send to response. Fields after the constructor's are set on the event loop. */
    private static final class Pending {
        final ApiKey apiKey;
        final short version;
        final ApiMessage request;
        final CompletableFuture<ApiMessage> future;
        volatile ScheduledFuture<?> timeout;
        int correlationId = -1;

        Pending(ApiKey apiKey, short version, ApiMessage request, CompletableFuture<ApiMessage> future) {
            this.apiKey = apiKey;
            this.version = version;
            this.request = request;
            this.future = future;
        }

        void complete(ApiMessage response) {
            cancelTimeout();
            future.complete(response);
        }

        void fail(Throwable cause) {
            cancelTimeout();
            future.completeExceptionally(cause);
        }

        private void cancelTimeout() {
            ScheduledFuture<?> scheduled = timeout;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }

    /** Inbound side of the connection: response frames and the connection's end. */
    private final class ResponseHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            onResponse((ByteBuf) msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onDisconnected(ctx.channel());
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls != null && cause.getCause() instanceof SSLException) {
                // The other node refused this one's certificate after the handshake (TLS 1.3), or
                // the handshake failed, which handshaken() reports: either way once, not per retry.
                if (tls.handshakeFuture().isSuccess()) {
                    tlsFailed(cause.getCause());
                }
            } else if (tls == null || tls.handshakeFuture().isSuccess()) {
                log.warn("Closing connection to {}: {}", address(), cause.toString());
            }
            ctx.close();
        }
    }
}
