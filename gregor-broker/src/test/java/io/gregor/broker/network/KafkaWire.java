package io.gregor.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;

/** Kafka wire bytes made and read by the real kafka-clients library: the tests' oracle. */
final class KafkaWire {
    static final String CLIENT_ID = "network-test";

    private KafkaWire() {
    }

    /** An ApiVersions request frame (size prefix included) as kafka-clients sends it. */
    static ByteBuffer apiVersionsRequest(short version, int correlationId) {
        ApiVersionsRequest request = new ApiVersionsRequest.Builder().build(version);
        return sized(request.serializeWithHeader(new RequestHeader(ApiKeys.API_VERSIONS, version, CLIENT_ID, correlationId)));
    }

    /**
     * A request frame with a hand-written header v1 or v2 and an arbitrary body, for keys and
     * versions kafka-clients refuses to build.
     */
    static ByteBuffer rawRequest(short apiKey, short version, int correlationId, boolean flexibleHeader, byte[] body) {
        byte[] clientId = CLIENT_ID.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(2 + 2 + 4 + 2 + clientId.length + (flexibleHeader ? 1 : 0) + body.length);
        buffer.putShort(apiKey).putShort(version).putInt(correlationId);
        buffer.putShort((short) clientId.length).put(clientId);
        if (flexibleHeader) {
            buffer.put((byte) 0); // no tagged fields
        }
        buffer.put(body).flip();
        return sized(buffer);
    }

    static ByteBuffer sized(ByteBuffer payload) {
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.remaining());
        frame.putInt(payload.remaining()).put(payload.duplicate()).flip();
        return frame;
    }

    /** A response frame without its size prefix. */
    record ResponseFrame(int correlationId, ByteBuffer afterCorrelationId) {
        /** Parses an ApiVersions response (header v0 at every version) at {@code version}. */
        ApiVersionsResponse apiVersions(short version) {
            return ApiVersionsResponse.parse(new ByteBufferAccessor(afterCorrelationId.duplicate()), version);
        }
    }

    /** Splits bytes into size-prefixed frames; every frame must be complete. */
    static List<ResponseFrame> frames(ByteBuffer bytes) {
        List<ResponseFrame> frames = new ArrayList<>();
        while (bytes.hasRemaining()) {
            int size = bytes.getInt();
            ByteBuffer frame = bytes.slice();
            frame.limit(size);
            bytes.position(bytes.position() + size);
            int correlationId = frame.getInt();
            frames.add(new ResponseFrame(correlationId, frame.slice()));
        }
        return frames;
    }

    /** Drains everything the channel wrote (buffers only), copies it out and releases it. */
    static List<ResponseFrame> writtenFrames(EmbeddedChannel channel) {
        ByteBuf all = Unpooled.buffer();
        try {
            Object message;
            while ((message = channel.readOutbound()) != null) {
                ByteBuf part = (ByteBuf) message;
                try {
                    all.writeBytes(part);
                } finally {
                    part.release();
                }
            }
            byte[] bytes = new byte[all.readableBytes()];
            all.readBytes(bytes);
            return frames(ByteBuffer.wrap(bytes));
        } finally {
            all.release();
        }
    }
}
