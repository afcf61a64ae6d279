package io.gregor.storage.cleaner;

import static io.gregor.protocol.config.ConfigType.BOOLEAN;
import static io.gregor.protocol.config.ConfigType.DOUBLE;
import static io.gregor.protocol.config.ConfigType.INT;
import static io.gregor.protocol.config.ConfigType.LONG;
import static io.gregor.protocol.config.Importance.MEDIUM;

import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.config.ParsedConfig;
import io.gregor.protocol.config.Validator;
import java.util.Map;

/**
 * Broker-level settings of the {@link LogCleaner}, with Kafka's keys. The per-topic settings
 * (min.cleanable.dirty.ratio, min/max.compaction.lag.ms, delete.retention.ms) are in the topic's
 * LogConfig, whose broker-level defaults are the log.cleaner.* synonyms.
 *
 * @param dedupeBufferBytes memory for the offset maps of all cleaner threads together
 * @param ioMaxBytesPerSecond cap on the cleaners' combined read plus write rate
 * @param backoffMs pause of an idle cleaner thread before it looks for work again
 */
public record CleanerConfig(boolean enabled, int threads, long dedupeBufferBytes, double ioMaxBytesPerSecond,
                            long backoffMs) {
    public static final String ENABLE = "log.cleaner.enable";
    public static final String THREADS = "log.cleaner.threads";
    public static final String DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String IO_MAX_BYTES_PER_SECOND = "log.cleaner.io.max.bytes.per.second";
    public static final String BACKOFF_MS = "log.cleaner.backoff.ms";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(ENABLE, BOOLEAN, true, MEDIUM, "Whether the log cleaner compacts topics with cleanup.policy compact.")
            .define(THREADS, INT, 1, Validator.atLeast(0), MEDIUM, "Background threads that compact logs.")
            .define(DEDUPE_BUFFER_SIZE, LONG, 128L * 1024 * 1024, Validator.atLeast(1024), MEDIUM,
                    "Memory for key deduplication, shared by the cleaner threads.")
            .define(IO_MAX_BYTES_PER_SECOND, DOUBLE, Double.MAX_VALUE, Validator.atLeast(1), MEDIUM,
                    "Cap on the bytes per second the cleaner threads read and write together.")
            .define(BACKOFF_MS, LONG, 15_000L, Validator.atLeast(0), MEDIUM,
                    "How long an idle cleaner thread waits before looking for logs to clean again.");

    public CleanerConfig {
        if (threads < 0 || dedupeBufferBytes < 1024 || ioMaxBytesPerSecond <= 0 || backoffMs < 0) {
            throw new IllegalArgumentException("Invalid cleaner config");
        }
    }

    /** Kafka's defaults. */
    public static CleanerConfig defaults() {
        return fromBrokerConfig(Map.of());
    }

    public static CleanerConfig fromBrokerConfig(Map<String, ?> brokerConfig) {
        ParsedConfig parsed = DEFINITION.parse(brokerConfig);
        return new CleanerConfig(parsed.getBoolean(ENABLE), parsed.getInt(THREADS), parsed.getLong(DEDUPE_BUFFER_SIZE),
                parsed.getDouble(IO_MAX_BYTES_PER_SECOND), parsed.getLong(BACKOFF_MS));
    }

    /** The offset map memory of one thread, within what an array can hold. */
    int bufferBytesPerThread() {
        return (int) Math.min(Integer.MAX_VALUE - 64, dedupeBufferBytes / Math.max(1, threads));
    }
}
