package io.gregor.broker.client;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * How a {@link NodeClient} speaks TLS to the other nodes' SSL or SASL_SSL listener.
 *
 * @param context the client side of TLS: trust store, and key store for a client certificate
 * @param verifyHostname whether the other node's certificate must name the host connected to
 *     (ssl.endpoint.identification.algorithm=https, Kafka's default)
 */
public record ClientTls(SslContext context, boolean verifyHostname) {
    public ClientTls {
        Objects.requireNonNull(context, "context");
        if (!context.isClient()) {
            throw new IllegalArgumentException("A node client needs a client TLS context");
        }
    }

    /** The handler of one connection to {@code host:port}, which is also the name the certificate must bear. */
    SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = context.newHandler(alloc, host, port);
        if (verifyHostname) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return handler;
    }
}
