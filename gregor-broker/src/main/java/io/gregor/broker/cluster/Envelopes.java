package io.gregor.broker.cluster;

import io.gregor.broker.api.RequestContext;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.EnvelopeRequest;
import io.gregor.protocol.message.EnvelopeResponse;
import io.gregor.protocol.message.RequestHeader;
import io.gregor.protocol.message.ResponseHeader;
import io.gregor.protocol.wire.ApiMessage;
import io.gregor.protocol.wire.ByteBufferWriter;
import io.gregor.protocol.wire.Readable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The Envelope API's payloads (KIP-590): a forwarded request as its request header and body, the
 * client's principal and address beside it; the answer as its response header and body.
 *
 * <p>The principal travels as the UTF-8 bytes of its {@code Type:name} string. Kafka serializes
 * it with a pluggable principal serde; both ends of a Gregor envelope are Gregor nodes of the
 * same build, so the string, which is all a {@link RequestContext} holds, is enough. A client
 * that authenticated with a delegation token is marked by a leading {@link #TOKEN_AUTHENTICATED}
 * byte (no principal type starts with a NUL), so that the controller refuses it what Kafka
 * refuses such a client; a node that did not know the mark would see a principal no ACL names.
 */
public final class Envelopes {
    /** The only version of the Envelope API there is. */
    public static final short VERSION = EnvelopeRequest.HIGHEST_SUPPORTED_VERSION;

    /** Marks the principal of a client that authenticated with a delegation token. */
    private static final byte TOKEN_AUTHENTICATED = 0;

    private Envelopes() {
    }

    /** The client an envelope speaks for. */
    record Principal(String name, boolean tokenAuthenticated) {
    }

    /** {@code request} at the context's version, in an envelope that names the context's client. */
    public static EnvelopeRequest wrap(RequestContext context, ApiMessage request) {
        ByteBufferWriter out = new ByteBufferWriter();
        ApiKey apiKey = ApiKey.forId(context.apiKey()).orElseThrow();
        new RequestHeader()
                .setRequestApiKey(context.apiKey())
                .setRequestApiVersion(context.apiVersion())
                .setCorrelationId(context.correlationId())
                .setClientId(context.clientId())
                .write(out, apiKey.requestHeaderVersion(context.apiVersion()));
        request.write(out, context.apiVersion());
        return new EnvelopeRequest()
                .setRequestData(out.toByteArray())
                .setRequestPrincipal(principalBytes(context))
                .setClientHostAddress(context.clientAddress().getAddress());
    }

    /** The response to the request {@link #wrap} wrapped, out of its envelope. */
    public static ApiMessage unwrapResponse(EnvelopeResponse envelope, short apiKey, short version) {
        ApiKey key = ApiKey.forId(apiKey).orElseThrow();
        Readable in = new Readable(ByteBuffer.wrap(envelope.responseData()));
        new ResponseHeader().read(in, key.responseHeaderVersion(version));
        ApiMessage response = key.newResponse();
        response.read(in, version);
        return response;
    }

    /** {@code response} to the request {@code header} introduced, as an envelope's response_data. */
    static byte[] responseData(RequestHeader header, ApiMessage response) {
        ApiKey apiKey = ApiKey.forId(header.requestApiKey()).orElseThrow();
        ByteBufferWriter out = new ByteBufferWriter();
        new ResponseHeader().setCorrelationId(header.correlationId())
                .write(out, apiKey.responseHeaderVersion(header.requestApiVersion()));
        response.write(out, header.requestApiVersion());
        return out.toByteArray();
    }

    private static byte[] principalBytes(RequestContext context) {
        byte[] name = context.principal().getBytes(StandardCharsets.UTF_8);
        if (!context.tokenAuthenticated()) {
            return name;
        }
        return ByteBuffer.allocate(1 + name.length).put(TOKEN_AUTHENTICATED).put(name).array();
    }

    /** The principal an envelope names; fails on bytes that are not {@code Type:name}. */
    static Principal principal(EnvelopeRequest envelope) {
        byte[] bytes = envelope.requestPrincipal();
        if (bytes == null) {
            throw new IllegalArgumentException("the envelope names no principal");
        }
        boolean tokenAuthenticated = bytes.length > 0 && bytes[0] == TOKEN_AUTHENTICATED;
        int start = tokenAuthenticated ? 1 : 0;
        String principal = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        int colon = principal.indexOf(':');
        if (colon <= 0 || colon == principal.length() - 1) {
            throw new IllegalArgumentException("principal '" + principal + "' is not Type:name");
        }
        return new Principal(principal, tokenAuthenticated);
    }

    /** The client address an envelope names: 4 or 16 bytes, never a host name to look up. */
    static InetAddress clientAddress(EnvelopeRequest envelope) throws UnknownHostException {
        return InetAddress.getByAddress(envelope.clientHostAddress());
    }
}
