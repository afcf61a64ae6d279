package io.gregor.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only TCP proxy on loopback between Kafka clients and one broker that loses chosen
 * responses of one API (produce, unless told otherwise): it reads the Kafka framing both ways,
 * remembers each request's API key by correlation id, counts that API's responses across all
 * connections, and for the counts in {@code dropped} closes the client's connection instead of
 * forwarding the response, after the broker has handled the request (appended, say). Bounded: at most {@link #MAX_CONNECTIONS} connections over its life (later
 * ones are refused),
 * frames up to {@link #MAX_FRAME_BYTES}, two daemon threads per connection.
 * <p>
 * Clients must see the proxy as the broker: start the broker with {@code advertised.listeners}
 * set to {@link #address()}, then {@link #forwardTo} its real port.
 */
final class ResponseDroppingProxy implements AutoCloseable {
    static final int MAX_CONNECTIONS = 32;
    static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    static final short PRODUCE_API_KEY = 0;
    static final short FETCH_API_KEY = 1;

    private final ServerSocketChannel server;
    private final short apiKey;
    private final Set<Integer> dropped;
    private final AtomicInteger responses = new AtomicInteger();
    private final AtomicInteger droppedResponses = new AtomicInteger();
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile InetSocketAddress broker;

    /** Listens on a free loopback port; the {@code dropped} counts are 1-based produce-response numbers. */
    ResponseDroppingProxy(Set<Integer> dropped) throws IOException {
        this(PRODUCE_API_KEY, dropped);
    }

    /** Listens on a free loopback port; the {@code dropped} counts are 1-based numbers of {@code apiKey}'s responses. */
    ResponseDroppingProxy(short apiKey, Set<Integer> dropped) throws IOException {
        this.apiKey = apiKey;
        this.dropped = Set.copyOf(dropped);
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    String address() {
        InetSocketAddress local;
        try {
            local = (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "127.0.0.1:" + local.getPort();
    }

    /** Starts accepting; each client connection gets its own connection to {@code bootstrap}. */
    void forwardTo(String bootstrap) {
        String[] hostPort = bootstrap.split(":");
        broker = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        daemon("proxy-accept", this::acceptLoop).start();
    }

    int droppedResponses() {
        return droppedResponses.get();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                if (connections.incrementAndGet() > MAX_CONNECTIONS) {
                    client.close();
                    continue;
                }
                SocketChannel upstream = SocketChannel.open(broker);
                open.add(client);
                open.add(upstream);
                Map<Integer, Short> apiKeyByCorrelationId = new ConcurrentHashMap<>();
                daemon("proxy-requests", () -> pumpRequests(client, upstream, apiKeyByCorrelationId)).start();
                daemon("proxy-responses", () -> pumpResponses(upstream, client, apiKeyByCorrelationId)).start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pumpRequests(SocketChannel client, SocketChannel upstream, Map<Integer, Short> apiKeys) {
        try {
            while (true) {
                ByteBuffer frame = readFrame(client);
                apiKeys.put(frame.getInt(4 + 4), frame.getShort(4));
                writeFully(upstream, frame);
            }
        } catch (IOException e) {
            closeBoth(client, upstream);
        }
    }

    private void pumpResponses(SocketChannel upstream, SocketChannel client, Map<Integer, Short> apiKeys) {
        try {
            while (true) {
                ByteBuffer frame = readFrame(upstream);
                Short requestApiKey = apiKeys.remove(frame.getInt(4));
                if (requestApiKey != null && requestApiKey == apiKey
                        && dropped.contains(responses.incrementAndGet())) {
                    droppedResponses.incrementAndGet();
                    break; // lose it: the client only sees its connection close
                }
                writeFully(client, frame);
            }
        } catch (IOException e) {
            // either side went away
        }
        closeBoth(client, upstream);
    }

    /** One whole frame, its 4-byte size prefix included, positioned at 0. */
    private static ByteBuffer readFrame(SocketChannel channel) throws IOException {
        ByteBuffer sizeBytes = ByteBuffer.allocate(4);
        readFully(channel, sizeBytes);
        int size = sizeBytes.getInt(0);
        if (size < 4 || size > MAX_FRAME_BYTES) {
            throw new IOException("Frame of " + size + " bytes");
        }
        ByteBuffer frame = ByteBuffer.allocate(4 + size);
        frame.putInt(size);
        readFully(channel, frame);
        return frame.flip();
    }

    private static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("Connection closed");
            }
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private void closeBoth(SocketChannel a, SocketChannel b) {
        for (SocketChannel channel : new SocketChannel[] {a, b}) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            open.remove(channel);
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel channel : open) {
            channel.close();
        }
    }
}
