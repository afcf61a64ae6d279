package io.gregor.server.cli;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.LoggerFactory;

/**
 * Makes Kafka clients for the CLI. Before any client is created the bootstrap addresses are
 * probed with a plain TCP connect, because a Kafka client given a dead address retries quietly
 * until its timeout; the probe turns that into an immediate, clear "no broker at ..." line.
 */
final class Clients {
    private static final int PROBE_TIMEOUT_MS = 3000;
    private static final String CLIENT_ID = "gregor-cli";

    private Clients() {
    }

    static Admin admin(ClientOptions options, boolean verbose) {
        Properties props = common(options, verbose);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs(options));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs(options));
        props.putAll(options.clientProperties);
        return Admin.create(props);
    }

    static KafkaProducer<byte[], byte[]> producer(ClientOptions options, boolean verbose, Properties extra) {
        Properties props = common(options, verbose);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs(options));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs(options));
        // the producer requires delivery.timeout.ms >= linger.ms + request.timeout.ms
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs(options) + 1000);
        props.putAll(extra);
        props.putAll(options.clientProperties);
        return new KafkaProducer<>(props);
    }

    static KafkaConsumer<byte[], byte[]> consumer(ClientOptions options, boolean verbose, Properties extra) {
        Properties props = common(options, verbose);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs(options));
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs(options));
        props.putAll(extra);
        props.putAll(options.clientProperties);
        return new KafkaConsumer<>(props);
    }

    private static Properties common(ClientOptions options, boolean verbose) {
        quietClientLogs(verbose);
        requireReachable(options.bootstrapServer);
        Properties props = new Properties();
        props.put("bootstrap.servers", options.bootstrapServer);
        props.put("client.id", CLIENT_ID);
        props.put("socket.connection.setup.timeout.ms", 3000);
        props.put("socket.connection.setup.timeout.max.ms", 5000);
        return props;
    }

    private static int timeoutMs(ClientOptions options) {
        return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(1, options.timeout.toMillis()));
    }

    /** The clients' own logging is for debugging the CLI, not for its users. */
    private static void quietClientLogs(boolean verbose) {
        if (LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(verbose ? Level.INFO : Level.OFF);
        }
    }

    /** Fails fast, with one line, unless at least one bootstrap address accepts a TCP connection. */
    static void requireReachable(String bootstrapServers) {
        List<String> failures = new ArrayList<>();
        for (String address : bootstrapServers.split(",")) {
            String trimmed = address.trim();
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new UsageException("Invalid --bootstrap-server '" + trimmed + "': expected HOST:PORT");
            }
            String host = trimmed.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(trimmed.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new UsageException("Invalid --bootstrap-server '" + trimmed + "': the port is not a number");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MS);
                return;
            } catch (java.net.UnknownHostException e) {
                failures.add(trimmed + " (unknown host)");
            } catch (IOException e) {
                failures.add(trimmed + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
        throw new CliException("No broker reachable at " + String.join(", ", failures)
                + "; start one with 'gregor server' or pass --bootstrap-server HOST:PORT");
    }
}
