package io.gregor.broker;

import io.gregor.broker.config.BrokerConfig;
import io.gregor.broker.config.Listener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TEMPORARY placeholder on branch "server" so that gregor-server compiles before the
 * coordinator's real Broker lands on main; it only binds the listeners. Drop this file on merge.
 */
public final class Broker {
    private final BrokerConfig config;
    private final Map<String, ServerSocketChannel> channels = new LinkedHashMap<>();

    public Broker(BrokerConfig config) {
        this.config = config;
    }

    public void startup() {
        try {
            for (Listener listener : config.listeners()) {
                ServerSocketChannel channel = ServerSocketChannel.open();
                channel.bind(new InetSocketAddress(listener.host(), listener.port()));
                channels.put(listener.name(), channel);
            }
        } catch (IOException e) {
            shutdown();
            throw new UncheckedIOException(e);
        }
    }

    public void shutdown() {
        for (ServerSocketChannel channel : channels.values()) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        channels.clear();
    }

    public int boundPort(String listenerName) {
        return ((InetSocketAddress) channels.get(listenerName).socket().getLocalSocketAddress()).getPort();
    }
}
