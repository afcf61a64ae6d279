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
 * same build, so the string, which is all a {@link RequestContext} holds, is enough.
 */
public final class Envelopes {
    /** The only version of the Envelope API there is. */
    public static final short VERSION = EnvelopeRequest.HIGHEST_SUPPORTED_VERSION;

    private Envelopes() {
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
                .setRequestPrincipal(context.principal().getBytes(StandardCharsets.UTF_8))
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

    /** The principal an envelope names; fails on bytes that are not {@code Type:name}. */
    static String principal(EnvelopeRequest envelope) {
        if (envelope.requestPrincipal() == null) {
            throw new IllegalArgumentException("the envelope names no principal");
        }
        String principal = new String(envelope.requestPrincipal(), StandardCharsets.UTF_8);
        int colon = principal.indexOf(':');
        if (colon <= 0 || colon == principal.length() - 1) {
            throw new IllegalArgumentException("principal '" + principal + "' is not Type:name");
        }
        return principal;
    }

    /** The client address an envelope names: 4 or 16 bytes, never a host name to look up. */
    static InetAddress clientAddress(EnvelopeRequest envelope) throws UnknownHostException {
        return InetAddress.getByAddress(envelope.clientHostAddress());
    }
}
