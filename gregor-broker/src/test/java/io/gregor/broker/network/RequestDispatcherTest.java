package io.gregor.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.metrics.ConnectionMeters;
import io.gregor.broker.metrics.NetworkMetrics;
import io.gregor.broker.security.Authorizer;
import io.gregor.protocol.wire.ApiMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestDispatcherTest {
    private static final short V1 = 1;
    private static final int MAX_IN_FLIGHT = 3;

    private final ControlledHandler handler = new ControlledHandler();
    private final EmbeddedChannel channel = channelServing(new HandlerRegistry().register(handler));

    @AfterEach
    void closeChannel() {
        // Frames live until their handler's future completes; complete the ones a test left open.
        handler.pending.forEach(future -> future.complete(null));
        channel.finishAndReleaseAll();
    }

    @Test
    void answersInRequestOrderWhenSecondRequestCompletesFirst() {
        send(KafkaWire.apiVersionsRequest(V1, 1));
        send(KafkaWire.apiVersionsRequest(V1, 2));

        handler.answer(1, 222);
        assertThat(KafkaWire.writtenFrames(channel)).as("second waits for first").isEmpty();
        handler.answer(0, 111);

        List<KafkaWire.ResponseFrame> frames = KafkaWire.writtenFrames(channel);
        assertThat(frames).extracting(KafkaWire.ResponseFrame::correlationId).containsExactly(1, 2);
        assertThat(frames.get(0).apiVersions(V1).throttleTimeMs()).isEqualTo(111);
        assertThat(frames.get(1).apiVersions(V1).throttleTimeMs()).isEqualTo(222);
    }

    @Test
    void sendsNothingForARequestAnsweredWithNoResponseAndKeepsTheQueueMoving() {
        send(KafkaWire.apiVersionsRequest(V1, 1));
        send(KafkaWire.apiVersionsRequest(V1, 2));

        handler.answer(1, 222);
        handler.pending.get(0).complete(null);

        assertThat(KafkaWire.writtenFrames(channel)).extracting(KafkaWire.ResponseFrame::correlationId)
                .containsExactly(2);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void keepsTheRequestBytesUntilTheHandlerCompletes() {
        ByteBuf inbound = Unpooled.wrappedBuffer(KafkaWire.apiVersionsRequest(V1, 1));
        channel.writeInbound(inbound);

        assertThat(inbound.refCnt()).as("request body is a view of these bytes").isPositive();
        handler.answer(0, 0);
        assertThat(inbound.refCnt()).isZero();
    }

    @Test
    void countsItsConnectionOpenedAuthenticatedAtOnceAndClosedOnAPlaintextListener() {
        NetworkMetrics metrics = new NetworkMetrics(new MetricRegistry());
        ConnectionMeters meters = metrics.sockets().connections("PLAINTEXT", 0);
        EmbeddedChannel plaintext = new EmbeddedChannel(dispatcher(metrics, meters));

        assertThat(meters.getValue()).containsEntry("connection-count", 1.0)
                .containsEntry("connection-creation-total", 1.0)
                .containsEntry("successful-authentication-total", 1.0);
        plaintext.finishAndReleaseAll();
        assertThat(meters.getValue()).containsEntry("connection-count", 0.0)
                .containsEntry("connection-close-total", 1.0);
    }

    @Test
    void aTlsConnectionIsAuthenticatedByItsHandshakeAndAFailedOneCountsAsAFailure() throws Exception {
        NetworkMetrics metrics = new NetworkMetrics(new MetricRegistry());
        ConnectionMeters meters = metrics.sockets().connections("SSL", 0);
        SslContext tls = SslContextBuilder.forClient().build();
        EmbeddedChannel succeeds = new EmbeddedChannel(tls.newHandler(ByteBufAllocator.DEFAULT),
                dispatcher(metrics, meters));
        EmbeddedChannel fails = new EmbeddedChannel(tls.newHandler(ByteBufAllocator.DEFAULT),
                dispatcher(metrics, meters));

        assertThat(meters.getValue()).containsEntry("connection-count", 2.0)
                .containsEntry("successful-authentication-total", 0.0);
        succeeds.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        fails.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLException("bad certificate")));

        assertThat(meters.getValue()).containsEntry("successful-authentication-total", 1.0)
                .containsEntry("failed-authentication-total", 1.0);
        succeeds.finishAndReleaseAll();
        fails.finishAndReleaseAll();
    }

    @Test
    void closesAConnectionIdleForConnectionsMaxIdleMs() {
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void keepsAnIdleConnectionWhoseRequestIsStillInProgress() {
        send(KafkaWire.apiVersionsRequest(V1, 1));

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertThat(channel.isOpen()).as("its client waits for the broker").isTrue();
        handler.answer(0, 0);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void givesBackTheRequestMemoryOfARequestOnceItIsAnswered() {
        RequestMemory memory = new RequestMemory(1_000);
        ControlledHandler held = new ControlledHandler();
        EmbeddedChannel bounded = channelServing(new HandlerRegistry().register(held), memory);
        ByteBuffer request = KafkaWire.apiVersionsRequest(V1, 1);
        int size = request.remaining() - 4;

        bounded.writeInbound(Unpooled.wrappedBuffer(request));
        assertThat(memory.availableBytes()).as("held while the handler works").isEqualTo(1_000 - size);
        held.answer(0, 0);

        assertThat(memory.availableBytes()).isEqualTo(1_000);
        bounded.finishAndReleaseAll();
    }

    @Test
    void releasesTheRequestBytesOfAHandlerThatCompletesAfterTheConnectionClosed() {
        ByteBuf inbound = Unpooled.wrappedBuffer(KafkaWire.apiVersionsRequest(V1, 1));
        channel.writeInbound(inbound);
        channel.close();

        handler.answer(0, 0);

        assertThat(inbound.refCnt()).isZero();
        assertThat(channel.outboundMessages()).isEmpty();
    }

    @Test
    void releasesTheBytesOfARefusedRequestAtOnce() {
        ByteBuf inbound = Unpooled.wrappedBuffer(KafkaWire.rawRequest((short) 999, (short) 0, 1, false, new byte[0]));
        channel.writeInbound(inbound);

        assertThat(inbound.refCnt()).isZero();
    }

    @Test
    void passesHeaderAndConnectionToTheHandler() {
        send(KafkaWire.apiVersionsRequest(V1, 7));

        RequestContext context = handler.contexts.get(0);
        assertThat(context.apiKey()).isEqualTo((short) 18);
        assertThat(context.apiVersion()).isEqualTo(V1);
        assertThat(context.correlationId()).isEqualTo(7);
        assertThat(context.clientId()).isEqualTo(KafkaWire.CLIENT_ID);
        assertThat(context.listenerName()).isEqualTo("PLAINTEXT");
        assertThat(context.connectionId()).isNotBlank();
    }

    @Test
    void closesConnectionWhenHandlerFails() {
        send(KafkaWire.apiVersionsRequest(V1, 1));

        handler.pending.get(0).completeExceptionally(new IllegalStateException("boom"));

        assertThat(channel.isOpen()).isFalse();
        assertThat(KafkaWire.writtenFrames(channel)).isEmpty();
    }

    @Test
    void closesConnectionWhenHandlerThrowsInsteadOfReturningAFuture() {
        EmbeddedChannel throwing = channelServing(new HandlerRegistry().register(new ThrowingHandler()));
        try {
            throwing.writeInbound(Unpooled.wrappedBuffer(KafkaWire.apiVersionsRequest(V1, 1)));

            assertThat(throwing.isOpen()).isFalse();
        } finally {
            throwing.finishAndReleaseAll();
        }
    }

    @Test
    void closesConnectionOnUnknownApiKey() {
        send(KafkaWire.rawRequest((short) 999, (short) 0, 1, false, new byte[0]));

        assertThat(channel.isOpen()).isFalse();
        assertThat(handler.pending).isEmpty();
    }

    @Test
    void closesConnectionOnKnownApiKeyWithoutHandler() {
        short metadataKey = 3;
        send(KafkaWire.rawRequest(metadataKey, (short) 12, 1, true, new byte[0]));

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesConnectionOnUnsupportedVersionOfAnApiOtherThanApiVersions() {
        short metadataKey = 3;
        EmbeddedChannel metadata = channelServing(new HandlerRegistry()
                .register(new FixedRangeHandler(metadataKey, (short) 12, (short) 13)));
        try {
            metadata.writeInbound(Unpooled.wrappedBuffer(KafkaWire.rawRequest(metadataKey, (short) 1, 1, false, new byte[0])));

            assertThat(metadata.isOpen()).isFalse();
            assertThat(metadata.outboundMessages()).isEmpty();
        } finally {
            metadata.finishAndReleaseAll();
        }
    }

    @Test
    void closesConnectionOnMalformedBody() {
        // ApiVersions v3 body: a compact string claiming 40 bytes with 2 present.
        send(KafkaWire.rawRequest((short) 18, (short) 3, 1, true, new byte[] {41, 'a', 'b'}));

        assertThat(channel.isOpen()).isFalse();
        assertThat(handler.pending).isEmpty();
    }

    @Test
    void answersApiVersionsAtUnknownVersionWithUnsupportedVersionAndItsRange() {
        send(KafkaWire.rawRequest((short) 18, (short) 99, 5, true, new byte[] {0, 0, 0}));

        List<KafkaWire.ResponseFrame> frames = KafkaWire.writtenFrames(channel);
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).correlationId()).isEqualTo(5);
        var response = frames.get(0).apiVersions((short) 0);
        assertThat(response.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        var range = response.data().apiKeys().find((short) 18);
        assertThat(range.minVersion()).isEqualTo((short) 0);
        assertThat(range.maxVersion()).isEqualTo((short) 4);
        assertThat(channel.isOpen()).isTrue();
        assertThat(handler.pending).isEmpty();
    }

    @Test
    void stopsReadingWhileTooManyRequestsAwaitResponsesAndResumesAfter() {
        for (int i = 0; i < MAX_IN_FLIGHT; i++) {
            send(KafkaWire.apiVersionsRequest(V1, i));
        }
        assertThat(channel.config().isAutoRead()).isFalse();

        handler.answer(0, 0);

        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(KafkaWire.writtenFrames(channel)).hasSize(1);
    }

    @Test
    void keepsReadingWhileResponsesLeaveAsFastAsRequestsArrive() {
        for (int i = 0; i < MAX_IN_FLIGHT * 2; i++) {
            send(KafkaWire.apiVersionsRequest(V1, i));
            handler.answer(i, i);
        }

        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(KafkaWire.writtenFrames(channel)).hasSize(MAX_IN_FLIGHT * 2);
    }

    private void send(ByteBuffer frame) {
        channel.writeInbound(Unpooled.wrappedBuffer(frame));
    }

    private static EmbeddedChannel channelServing(HandlerRegistry registry) {
        return channelServing(registry, RequestMemory.unbounded());
    }

    private static EmbeddedChannel channelServing(HandlerRegistry registry, RequestMemory memory) {
        NetworkMetrics metrics = new NetworkMetrics(new MetricRegistry());
        return new EmbeddedChannel(
                new FrameDecoder(1 << 20, memory),
                new RequestDispatcher(new RequestDecoder(registry), "PLAINTEXT", MAX_IN_FLIGHT, memory,
                        metrics, metrics.sockets().connections("PLAINTEXT", 0), null, Authorizer.ALLOW_ALL));
    }

    private static RequestDispatcher dispatcher(NetworkMetrics metrics, ConnectionMeters meters) {
        return new RequestDispatcher(new RequestDecoder(new HandlerRegistry()), "PLAINTEXT", MAX_IN_FLIGHT,
                RequestMemory.unbounded(), metrics, meters, null, Authorizer.ALLOW_ALL);
    }

    private record FixedRangeHandler(short apiKey, short minVersion, short maxVersion)
            implements ApiHandler<ApiMessage, ApiMessage> {
        @Override
        public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage request) {
            return ApiHandler.noResponse();
        }
    }

    private static final class ThrowingHandler implements ApiHandler<ApiMessage, ApiMessage> {
        @Override
        public short apiKey() {
            return 18;
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
        public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage request) {
            throw new IllegalStateException("bug");
        }
    }
}
