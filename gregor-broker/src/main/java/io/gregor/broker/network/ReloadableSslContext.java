package io.gregor.broker.network;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;

/**
 * A listener's TLS context that can be replaced while the listener runs (certificate rotation by
 * dynamic broker configs): each new connection's engine comes from the context in force when it
 * is accepted, and connections already open keep the engine, and the certificate, they started
 * with, as in Kafka.
 */
public final class ReloadableSslContext extends SslContext {
    private volatile SslContext current;

    public ReloadableSslContext(SslContext initial) {
        this.current = initial;
    }

    /** New connections get {@code replacement}'s certificate from now on. */
    public void replace(SslContext replacement) {
        current = replacement;
    }

    @Override
    public boolean isClient() {
        return current.isClient();
    }

    @Override
    public List<String> cipherSuites() {
        return current.cipherSuites();
    }

    @Override
    @SuppressWarnings("deprecation")
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return current.applicationProtocolNegotiator();
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc) {
        return current.newEngine(alloc);
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
        return current.newEngine(alloc, peerHost, peerPort);
    }

    @Override
    public SSLSessionContext sessionContext() {
        return current.sessionContext();
    }
}
