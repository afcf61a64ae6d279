package io.gregor.broker.network;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ApiVersionsResponse;
import io.gregor.protocol.message.RequestHeader;
import io.gregor.protocol.wire.ApiMessage;
import io.gregor.protocol.wire.Readable;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns one request frame into a header, a body decoded at the request's version and the
 * handler that serves it, or into the reason it cannot be served.
 *
 * <p>The decoded body is a view of the frame (records fields are not copied), so the frame must
 * outlive it; this class never releases the frame. Stateless apart from the registry, so one
 * instance may serve every connection.
 */
final class RequestDecoder {
    /** Request header: api key (int16) and api version (int16) come first in every version. */
    private static final int KEY_AND_VERSION_BYTES = 4;
    /** ApiVersions v3 is its first flexible version, and flexible requests carry header v2. */
    private static final short FIRST_FLEXIBLE_API_VERSIONS_VERSION = 3;
    private static final short FLEXIBLE_REQUEST_HEADER_VERSION = 2;
    private static final short CLASSIC_REQUEST_HEADER_VERSION = 1;
    private static final short KIP_511_RESPONSE_VERSION = 0;

    private final HandlerRegistry registry;

    RequestDecoder(HandlerRegistry registry) {
        this.registry = registry;
    }

    DecodedRequest decode(ByteBuf frame) {
        if (frame.readableBytes() < KEY_AND_VERSION_BYTES) {
            return new DecodedRequest.Refuse("request of " + frame.readableBytes() + " bytes is too short for a header");
        }
        short apiKeyId = frame.getShort(frame.readerIndex());
        short version = frame.getShort(frame.readerIndex() + 2);
        Optional<ApiKey> apiKey = ApiKey.forId(apiKeyId);
        Optional<ApiHandler<?, ?>> handler = registry.handlerFor(apiKeyId);
        if (apiKey.isEmpty() || handler.isEmpty()) {
            return new DecodedRequest.Refuse("unknown or unserved API key " + apiKeyId);
        }
        boolean versionSupported = version >= handler.get().minVersion() && version <= handler.get().maxVersion();
        if (!versionSupported && apiKey.get() != ApiKey.API_VERSIONS) {
            return new DecodedRequest.Refuse("unsupported version " + version + " of " + apiKey.get()
                    + " (supported " + handler.get().minVersion() + ".." + handler.get().maxVersion() + ")");
        }
        Readable in = new Readable(frame.nioBuffer());
        RequestHeader header = new RequestHeader();
        try {
            if (!versionSupported) {
                // Client newer than us: read the header as that version would be framed, then
                // tell it which ApiVersions versions we speak.
                header.read(in, apiVersionsHeaderVersionGuess(version));
                return new DecodedRequest.AnswerDirectly(
                        apiKey.get(), header, unsupportedVersionAnswer(handler.get()), KIP_511_RESPONSE_VERSION);
            }
            header.read(in, apiKey.get().requestHeaderVersion(version));
            ApiMessage body = apiKey.get().newRequest();
            body.read(in, version);
            return new DecodedRequest.Dispatch(apiKey.get(), header, body, handler.get());
        } catch (RuntimeException malformed) {
            return new DecodedRequest.Refuse("malformed " + apiKey.get() + " v" + version + " request: " + malformed);
        }
    }

    private static short apiVersionsHeaderVersionGuess(short version) {
        return version >= FIRST_FLEXIBLE_API_VERSIONS_VERSION ? FLEXIBLE_REQUEST_HEADER_VERSION : CLASSIC_REQUEST_HEADER_VERSION;
    }

    /** KIP-511: UNSUPPORTED_VERSION, listing the ApiVersions versions so the client can retry. */
    private static ApiVersionsResponse unsupportedVersionAnswer(ApiHandler<?, ?> apiVersionsHandler) {
        ApiVersionsResponse.ApiVersion range = new ApiVersionsResponse.ApiVersion()
                .setApiKey(apiVersionsHandler.apiKey())
                .setMinVersion(apiVersionsHandler.minVersion())
                .setMaxVersion(apiVersionsHandler.maxVersion());
        return new ApiVersionsResponse()
                .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                .setApiKeys(new ArrayList<>(List.of(range)));
    }
}
