package io.gregor.broker.cluster;

import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.wire.ApiMessage;
import io.gregor.protocol.wire.ByteBufferWriter;
import io.gregor.protocol.wire.Readable;
import java.nio.ByteBuffer;

/**
 * How a Kafka request and its response travel over the metadata quorum's transport to a
 * controller ({@link QuorumControllerRoute}, {@link ControllerApiServer}): the request as API key
 * (int16), version (int16) and body; the response as its body at the same version. Gregor nodes
 * run the same build, so there is no version negotiation, and Ratis matches answers to requests,
 * so there is no header.
 */
final class ControllerRequestCodec {
    private static final int KEY_AND_VERSION_BYTES = 4;

    private ControllerRequestCodec() {
    }

    static ByteBuffer encodeRequest(ApiMessage request, short version) {
        ByteBufferWriter out = new ByteBufferWriter();
        out.writeShort(request.apiKey());
        out.writeShort(version);
        request.write(out, version);
        return out.toByteBuffer();
    }

    static ByteBuffer encodeResponse(ApiMessage response, short version) {
        ByteBufferWriter out = new ByteBufferWriter();
        response.write(out, version);
        return out.toByteBuffer();
    }

    static ApiMessage decodeResponse(ApiKey apiKey, short version, ByteBuffer bytes) {
        ApiMessage response = apiKey.newResponse();
        response.read(new Readable(bytes), version);
        return response;
    }

    /** A request as its parts; the body is read later, by whoever knows the handler's version range. */
    record Frame(short apiKey, short version, ByteBuffer body) {
        static Frame of(ByteBuffer bytes) {
            if (bytes.remaining() < KEY_AND_VERSION_BYTES) {
                throw new IllegalArgumentException("controller request of " + bytes.remaining()
                        + " bytes is too short");
            }
            short apiKey = bytes.getShort();
            short version = bytes.getShort();
            return new Frame(apiKey, version, bytes.slice());
        }
    }
}
