package io.gregor.testkit;

import io.gregor.broker.Broker;
import io.gregor.broker.config.BrokerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Gregor broker in the test's own JVM, on a loopback port with its data in a directory the
 * test owns. {@link #restart()} stops it cleanly and starts it again on the same port and data,
 * as an operator's restart would.
 */
public final class GregorBroker implements AutoCloseable {
    private final Map<String, String> config;
    private final int port;
    private Broker broker;

    private GregorBroker(Path dataDir, Map<String, String> overrides) {
        this.port = PortFinder.freeLoopbackPort();
        this.config = new HashMap<>(overrides);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.putIfAbsent("log.dirs", dataDir.toString());
    }

    /** Starts a broker with Gregor's defaults, changed by {@code overrides} (Kafka key names; {@code log.dirs} defaults to {@code dataDir}). */
    public static GregorBroker start(Path dataDir, Map<String, String> overrides) {
        GregorBroker broker = new GregorBroker(dataDir, overrides);
        broker.startBroker();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** A clean shutdown followed by a start on the same port and data. */
    public void restart() {
        broker.shutdown();
        startBroker();
    }

    private void startBroker() {
        broker = new Broker(BrokerConfig.parse(config));
        broker.startup();
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.shutdown();
            broker = null;
        }
    }
}
