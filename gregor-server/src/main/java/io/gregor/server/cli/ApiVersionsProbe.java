package io.gregor.server.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Asks one broker which API versions it offers. The admin client does not expose this, so
 * the probe sends ApiVersions v0, the one version every Kafka-protocol broker answers, over a
 * plain socket: request header v1 (api key, version, correlation id, client id) and an empty
 * body; the answer is an error code and (api key, min, max) triples.
 */
final class ApiVersionsProbe {
    private static final short API_VERSIONS_KEY = 18;
    private static final int CORRELATION_ID = 1;

    /** One API the broker offers, with the version range. */
    record ApiRange(int key, String name, int minVersion, int maxVersion) {
    }

    private ApiVersionsProbe() {
    }

    static List<ApiRange> probe(String host, int port, int timeoutMs) throws IOException {
        List<ApiRange> ranges = new ArrayList<>();
        for (short[] range : ask(host, port, timeoutMs)) {
            ranges.add(new ApiRange(range[0], name(range[0]), range[1], range[2]));
        }
        return ranges;
    }

    /**
     * Sends the request and reads the whole answer: (api key, min version, max version) per API.
     * Names are left out: they come from Kafka's client library, which a broker asking itself
     * (see {@code ServerCommand}) does not otherwise load.
     */
    static List<short[]> ask(String host, int port, int timeoutMs) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            byte[] clientId = "gregor-cli".getBytes(StandardCharsets.UTF_8);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(2 + 2 + 4 + 2 + clientId.length);
            out.writeShort(API_VERSIONS_KEY);
            out.writeShort(0);
            out.writeInt(CORRELATION_ID);
            out.writeShort(clientId.length);
            out.write(clientId);
            out.flush();

            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readInt(); // frame size
            if (in.readInt() != CORRELATION_ID) {
                throw new IOException("ApiVersions answer has the wrong correlation id");
            }
            short error = in.readShort();
            if (error != 0) {
                throw new IOException("ApiVersions failed with error code " + error);
            }
            int count = in.readInt();
            List<short[]> ranges = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ranges.add(new short[] {in.readShort(), in.readShort(), in.readShort()});
            }
            return ranges;
        }
    }

    private static String name(short key) {
        return ApiKeys.hasId(key) ? ApiKeys.forId(key).name : "Unknown(" + key + ")";
    }
}
