package io.gregor.storage.log;

import static io.gregor.protocol.config.ConfigType.INT;
import static io.gregor.protocol.config.ConfigType.LIST;
import static io.gregor.protocol.config.ConfigType.LONG;
import static io.gregor.protocol.config.Importance.HIGH;
import static io.gregor.protocol.config.Importance.MEDIUM;

import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.config.ParsedConfig;
import io.gregor.protocol.config.Validator;
import io.gregor.storage.cleaner.CleanerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Broker-level settings of the {@link LogManager}: where logs live, how often retention and the
 * flush policy are checked, how many threads load logs at start, the broker-wide topic
 * defaults (topic key names, see {@link LogConfig#topicDefaultsFromBroker}), and how long an idle
 * producer id's state is kept and how often that is checked (broker-level in Kafka too), and the
 * log cleaner's settings.
 */
public record LogManagerConfig(List<Path> logDirs, Map<String, Object> topicDefaults, long retentionCheckIntervalMs,
                               long flushCheckIntervalMs, int recoveryThreads, long producerIdExpirationMs,
                               long producerIdExpirationCheckIntervalMs, CleanerConfig cleaner) {
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    public static final String RECOVERY_THREADS_PER_DATA_DIR = "num.recovery.threads.per.data.dir";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    public static final String PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS = "producer.id.expiration.check.interval.ms";
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS = 600_000L;

    /** The broker keys read here (topic defaults come from {@link LogConfig}'s synonyms). */
    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(LOG_DIRS, LIST, "", HIGH, "Comma-separated directories holding partition logs; overrides log.dir.")
            .define(LOG_DIR, LIST, "./gregor-data", HIGH, "Directory holding partition logs when log.dirs is not set.")
            .define(RETENTION_CHECK_INTERVAL_MS, LONG, 300_000L, Validator.atLeast(1), MEDIUM,
                    "How often segments are checked for deletion by retention.ms and retention.bytes.")
            .define(FLUSH_SCHEDULER_INTERVAL_MS, LONG, 1_000L, Validator.atLeast(1), MEDIUM,
                    "How often logs are checked against flush.messages and flush.ms.")
            .define(RECOVERY_THREADS_PER_DATA_DIR, INT, 1, Validator.atLeast(1), MEDIUM,
                    "Threads per log directory that load and recover logs at start.")
            .define(PRODUCER_ID_EXPIRATION_MS, LONG, DEFAULT_PRODUCER_ID_EXPIRATION_MS, Validator.atLeast(1), MEDIUM,
                    "How long a partition keeps the state of a producer id that has not written, after which "
                            + "its next batch is accepted as from a new producer.")
            .define(PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS, LONG, DEFAULT_PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS,
                    Validator.atLeast(1), MEDIUM, "How often idle producer ids are looked for and expired.");

    public LogManagerConfig {
        logDirs = List.copyOf(logDirs);
        topicDefaults = Map.copyOf(topicDefaults);
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("At least one log directory is needed");
        }
    }

    /** With Kafka's default log cleaner settings. */
    public LogManagerConfig(List<Path> logDirs, Map<String, Object> topicDefaults, long retentionCheckIntervalMs,
                            long flushCheckIntervalMs, int recoveryThreads, long producerIdExpirationMs,
                            long producerIdExpirationCheckIntervalMs) {
        this(logDirs, topicDefaults, retentionCheckIntervalMs, flushCheckIntervalMs, recoveryThreads,
                producerIdExpirationMs, producerIdExpirationCheckIntervalMs, CleanerConfig.defaults());
    }

    /** The same with other log cleaner settings. */
    public LogManagerConfig withCleaner(CleanerConfig cleanerConfig) {
        return new LogManagerConfig(logDirs, topicDefaults, retentionCheckIntervalMs, flushCheckIntervalMs,
                recoveryThreads, producerIdExpirationMs, producerIdExpirationCheckIntervalMs, cleanerConfig);
    }

    /** With Kafka's default producer id expiration. */
    public LogManagerConfig(List<Path> logDirs, Map<String, Object> topicDefaults, long retentionCheckIntervalMs,
                            long flushCheckIntervalMs, int recoveryThreads) {
        this(logDirs, topicDefaults, retentionCheckIntervalMs, flushCheckIntervalMs, recoveryThreads,
                DEFAULT_PRODUCER_ID_EXPIRATION_MS, DEFAULT_PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS);
    }

    /** Kafka's defaults for the given directories. */
    public static LogManagerConfig defaults(List<Path> logDirs) {
        return new LogManagerConfig(logDirs, Map.of(), 300_000L, 1_000L, 1);
    }

    /** Reads the log manager's keys and the topic defaults' broker synonyms from a broker configuration. */
    public static LogManagerConfig fromBrokerConfig(Map<String, ?> brokerConfig) {
        ParsedConfig parsed = DEFINITION.parse(brokerConfig);
        List<String> dirs = parsed.getList(LOG_DIRS).isEmpty() ? parsed.getList(LOG_DIR) : parsed.getList(LOG_DIRS);
        return new LogManagerConfig(dirs.stream().map(Path::of).toList(), LogConfig.topicDefaultsFromBroker(brokerConfig),
                parsed.getLong(RETENTION_CHECK_INTERVAL_MS), parsed.getLong(FLUSH_SCHEDULER_INTERVAL_MS),
                parsed.getInt(RECOVERY_THREADS_PER_DATA_DIR), parsed.getLong(PRODUCER_ID_EXPIRATION_MS),
                parsed.getLong(PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS), CleanerConfig.fromBrokerConfig(brokerConfig));
    }
}
