package io.gregor.broker.config;

import io.gregor.protocol.config.ConfigException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of {@code listeners} or {@code advertised.listeners}: {@code NAME://host:port}.
 * The name is upper-cased (listener names are case-insensitive, as in Kafka). An empty host
 * means every interface; IPv6 hosts are written in brackets and stored without them. Port 0
 * asks the system for a free port (see {@code Broker.boundPort}).
 */
public record Listener(String name, String host, int port) {
    /** NAME://host:port where host is a name, an IPv4 address, empty, or an IPv6 address in brackets. */
    private static final Pattern FORMAT =
            Pattern.compile("^([A-Za-z0-9_]+)://(\\[[0-9A-Za-z:.%]+]|[^:\\[\\]/]*):([0-9]{1,9})$");

    /** Parses one listener; {@code key} names the configuration it came from, for the error. */
    public static Listener parse(String key, String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException(key, text, "expected NAME://host:port, e.g. PLAINTEXT://localhost:9092");
        }
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(m.group(3));
        if (port > 65535) {
            throw new ConfigException(key, text, "port must be between 0 and 65535");
        }
        return new Listener(m.group(1).toUpperCase(Locale.ROOT), host, port);
    }

    /** The text form, as it would appear in server.properties. */
    @Override
    public String toString() {
        String hostText = host.contains(":") ? "[" + host + "]" : host;
        return name + "://" + hostText + ":" + port;
    }
}
