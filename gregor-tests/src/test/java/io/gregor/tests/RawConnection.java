package io.gregor.tests;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One plain TCP connection speaking the Kafka framing, for tests that must send what a
 * well-behaved client never would (oversized frames, corrupt batches, unknown API keys).
 * Requests are encoded and responses decoded by kafka-clients itself.
 */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;

    RawConnection(String bootstrap) throws IOException {
        String[] hostPort = bootstrap.split(":");
        socket = new Socket();
        socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 5_000);
        socket.setSoTimeout(15_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    AbstractResponse send(AbstractRequest request) throws IOException {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "raw-test", ++correlationId);
        ByteBuffer frame = request.serializeWithHeader(header);
        writeFrame(frame);
        return AbstractResponse.parseResponse(readFrame(), header);
    }

    void writeFrame(ByteBuffer payload) throws IOException {
        byte[] bytes = new byte[4 + payload.remaining()];
        ByteBuffer.wrap(bytes).putInt(payload.remaining()).put(payload);
        out.write(bytes);
        out.flush();
    }

    /** How long a read waits before it fails with a {@link java.net.SocketTimeoutException}. */
    void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    ByteBuffer readFrame() throws IOException {
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body);
    }

    /** True once the broker has closed this connection (read returns end of stream). */
    boolean isClosedByPeer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
