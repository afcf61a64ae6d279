package io.gregor.tests;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A group member in a JVM of its own, so that a test can SIGKILL it: it leaves no group and
 * sends no more heartbeats, as a crashed consumer. It subscribes and polls for at most five
 * minutes.
 *
 * <p>Arguments: bootstrap servers, group id, topic, group protocol ({@code classic} or
 * {@code consumer}). A classic member asks for a 3 s session, as the test's other members do.
 */
public final class GroupMemberProcess {
    private static final Duration LIFETIME = Duration.ofMinutes(5);

    private GroupMemberProcess() {
    }

    public static void main(String[] args) {
        String protocol = args[3];
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, args[1],
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol));
        if (protocol.equals("classic")) {
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 3_000);
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(args[0], config)) {
            consumer.subscribe(List.of(args[2]));
            long deadline = System.nanoTime() + LIFETIME.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
        }
    }
}
