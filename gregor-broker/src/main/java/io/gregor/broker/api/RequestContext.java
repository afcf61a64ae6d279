package io.gregor.broker.api;

import java.net.InetAddress;

/**
 * What a handler may know about the request it serves beyond its body: the header fields and
 * the connection it came on. Handlers never see Netty.
 */
public record RequestContext(
        short apiKey,
        short apiVersion,
        int correlationId,
        String clientId,
        String connectionId,
        InetAddress clientAddress,
        String listenerName) {
}
