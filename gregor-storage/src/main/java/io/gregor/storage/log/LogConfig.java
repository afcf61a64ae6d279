package io.gregor.storage.log;

import static io.gregor.protocol.config.ConfigType.BOOLEAN;
import static io.gregor.protocol.config.ConfigType.DOUBLE;
import static io.gregor.protocol.config.ConfigType.INT;
import static io.gregor.protocol.config.ConfigType.LIST;
import static io.gregor.protocol.config.ConfigType.LONG;
import static io.gregor.protocol.config.ConfigType.STRING;
import static io.gregor.protocol.config.Importance.HIGH;
import static io.gregor.protocol.config.Importance.LOW;
import static io.gregor.protocol.config.Importance.MEDIUM;

import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.config.ConfigException;
import io.gregor.protocol.config.ConfigType;
import io.gregor.protocol.config.ParsedConfig;
import io.gregor.protocol.config.Validator;
import io.gregor.protocol.record.CompressionType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Topic-level log configuration with Kafka's key names and defaults. Each key has broker-level
 * synonyms (most specific first, e.g. {@code log.retention.ms}, {@code log.retention.minutes},
 * {@code log.retention.hours}) that give the broker-wide default, which topic overrides replace.
 * DescribeConfigs reports the synonyms from {@link #brokerSynonyms(String)}. Immutable.
 */
public final class LogConfig {
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String MIN_IN_SYNC_REPLICAS = "min.insync.replicas";
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String PREALLOCATE = "preallocate";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String LEADER_REPLICATION_THROTTLED_REPLICAS = "leader.replication.throttled.replicas";
    public static final String FOLLOWER_REPLICATION_THROTTLED_REPLICAS = "follower.replication.throttled.replicas";

    public static final String CREATE_TIME = "CreateTime";
    public static final String LOG_APPEND_TIME = "LogAppendTime";
    public static final String CLEANUP_DELETE = "delete";
    public static final String CLEANUP_COMPACT = "compact";

    private static final long DAY_MS = 24 * 60 * 60 * 1000L;

    /** A broker-level key that supplies a topic key's default, with the factor from its unit to ms (or 1). */
    public record BrokerSynonym(String name, long factor) {
    }

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(SEGMENT_BYTES, INT, 1024 * 1024 * 1024, Validator.atLeast(14), HIGH,
                    "Size of a log segment file; a new segment is started when the active one would exceed it.")
            .define(SEGMENT_MS, LONG, 7 * DAY_MS, Validator.atLeast(1), MEDIUM,
                    "Age after which the active segment is rolled even if not full, so retention can delete it.")
            .define(SEGMENT_INDEX_BYTES, INT, 10 * 1024 * 1024, Validator.atLeast(12), MEDIUM,
                    "Maximum size of a segment's offset and time index; a full index rolls the segment.")
            .define(INDEX_INTERVAL_BYTES, INT, 4096, Validator.atLeast(0), MEDIUM,
                    "Bytes of log between offset index entries: smaller means a denser index and shorter scans.")
            .define(RETENTION_MS, LONG, 7 * DAY_MS, Validator.atLeast(-1), HIGH,
                    "How long a segment is kept after its newest record; -1 keeps segments forever.")
            .define(RETENTION_BYTES, LONG, -1L, Validator.atLeast(-1), HIGH,
                    "Maximum size of a partition before its oldest segments are deleted; -1 means no limit.")
            .define(FLUSH_MESSAGES, LONG, Long.MAX_VALUE, Validator.atLeast(1), MEDIUM,
                    "Number of records after which the log is fsynced; by default the OS page cache decides.")
            .define(FLUSH_MS, LONG, Long.MAX_VALUE, Validator.atLeast(0), MEDIUM,
                    "Time after which unflushed records are fsynced; by default the OS page cache decides.")
            .define(MESSAGE_TIMESTAMP_TYPE, STRING, CREATE_TIME, Validator.oneOf(CREATE_TIME, LOG_APPEND_TIME),
                    MEDIUM, "CreateTime keeps the producer's timestamps; LogAppendTime stamps batches with the broker's time.")
            .define(MAX_MESSAGE_BYTES, INT, 1024 * 1024 + 12, Validator.atLeast(0), MEDIUM,
                    "Largest record batch the broker accepts, after compression.")
            .define(CLEANUP_POLICY, LIST, CLEANUP_DELETE, Validator.oneOf(CLEANUP_DELETE, CLEANUP_COMPACT), MEDIUM,
                    "delete removes old segments by retention; compact keeps the newest record per key.")
            .define(MIN_IN_SYNC_REPLICAS, INT, 1, Validator.atLeast(1), MEDIUM,
                    "Replicas that must have a write before acks=all succeeds.")
            .define(MESSAGE_TIMESTAMP_BEFORE_MAX_MS, LONG, Long.MAX_VALUE, Validator.atLeast(0), MEDIUM,
                    "How far in the past a CreateTime timestamp may be before the batch is rejected.")
            .define(MESSAGE_TIMESTAMP_AFTER_MAX_MS, LONG, 60 * 60 * 1000L, Validator.atLeast(0), MEDIUM,
                    "How far in the future a CreateTime timestamp may be before the batch is rejected.")
            .define(DELETE_RETENTION_MS, LONG, DAY_MS, Validator.atLeast(0), MEDIUM,
                    "How long tombstones are kept in compacted topics.")
            .define(FILE_DELETE_DELAY_MS, LONG, 60_000L, Validator.atLeast(0), MEDIUM,
                    "Delay before a deleted segment's file is removed, so in-flight fetches finish.")
            .define(PREALLOCATE, BOOLEAN, false, MEDIUM,
                    "Accepted as Kafka's, with no effect: segment files grow as they are written (preallocating "
                            + "them was measured no faster, see docs/benchmarks.md).")
            .define(COMPRESSION_TYPE, STRING, "producer",
                    Validator.oneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"), MEDIUM,
                    "Codec of stored batches: a producer's batches in another codec are recompressed in "
                            + "this one; producer keeps what the producer sent.")
            .define(UNCLEAN_LEADER_ELECTION_ENABLE, BOOLEAN, false, MEDIUM,
                    "Whether a replica outside the ISR may become leader, at the cost of losing data.")
            .define(MIN_CLEANABLE_DIRTY_RATIO, DOUBLE, 0.5, Validator.between(0, 1), MEDIUM,
                    "Share of uncompacted log that triggers compaction.")
            .define(MIN_COMPACTION_LAG_MS, LONG, 0L, Validator.atLeast(0), MEDIUM,
                    "Minimum age of a record before it may be compacted.")
            .define(MAX_COMPACTION_LAG_MS, LONG, Long.MAX_VALUE, Validator.atLeast(1), MEDIUM,
                    "Maximum time a record stays uncompacted.")
            .define(LEADER_REPLICATION_THROTTLED_REPLICAS, LIST, "", LogConfig::validThrottledReplicas, MEDIUM,
                    "Replicas whose replication is throttled on the leader side (leader.replication.throttled.rate), "
                            + "as PARTITION:BROKER,... or * for all.")
            .define(FOLLOWER_REPLICATION_THROTTLED_REPLICAS, LIST, "", LogConfig::validThrottledReplicas, MEDIUM,
                    "Replicas whose replication is throttled on the follower side "
                            + "(follower.replication.throttled.rate), as PARTITION:BROKER,... or * for all.");

    private static final Map<String, List<BrokerSynonym>> SYNONYMS = synonyms();

    private static Map<String, List<BrokerSynonym>> synonyms() {
        long hour = 60 * 60 * 1000L;
        Map<String, List<BrokerSynonym>> map = new LinkedHashMap<>();
        map.put(SEGMENT_BYTES, List.of(new BrokerSynonym("log.segment.bytes", 1)));
        map.put(SEGMENT_MS, List.of(new BrokerSynonym("log.roll.ms", 1), new BrokerSynonym("log.roll.hours", hour)));
        map.put(SEGMENT_INDEX_BYTES, List.of(new BrokerSynonym("log.index.size.max.bytes", 1)));
        map.put(INDEX_INTERVAL_BYTES, List.of(new BrokerSynonym("log.index.interval.bytes", 1)));
        map.put(RETENTION_MS, List.of(new BrokerSynonym("log.retention.ms", 1),
                new BrokerSynonym("log.retention.minutes", 60_000L), new BrokerSynonym("log.retention.hours", hour)));
        map.put(RETENTION_BYTES, List.of(new BrokerSynonym("log.retention.bytes", 1)));
        map.put(FLUSH_MESSAGES, List.of(new BrokerSynonym("log.flush.interval.messages", 1)));
        map.put(FLUSH_MS, List.of(new BrokerSynonym("log.flush.interval.ms", 1)));
        map.put(MESSAGE_TIMESTAMP_TYPE, List.of(new BrokerSynonym("log.message.timestamp.type", 1)));
        map.put(MAX_MESSAGE_BYTES, List.of(new BrokerSynonym("message.max.bytes", 1)));
        map.put(CLEANUP_POLICY, List.of(new BrokerSynonym("log.cleanup.policy", 1)));
        map.put(MIN_IN_SYNC_REPLICAS, List.of(new BrokerSynonym("min.insync.replicas", 1)));
        map.put(MESSAGE_TIMESTAMP_BEFORE_MAX_MS, List.of(new BrokerSynonym("log.message.timestamp.before.max.ms", 1)));
        map.put(MESSAGE_TIMESTAMP_AFTER_MAX_MS, List.of(new BrokerSynonym("log.message.timestamp.after.max.ms", 1)));
        map.put(DELETE_RETENTION_MS, List.of(new BrokerSynonym("log.cleaner.delete.retention.ms", 1)));
        map.put(FILE_DELETE_DELAY_MS, List.of(new BrokerSynonym("log.segment.delete.delay.ms", 1)));
        map.put(PREALLOCATE, List.of(new BrokerSynonym("log.preallocate", 1)));
        map.put(COMPRESSION_TYPE, List.of(new BrokerSynonym("compression.type", 1)));
        map.put(UNCLEAN_LEADER_ELECTION_ENABLE, List.of(new BrokerSynonym("unclean.leader.election.enable", 1)));
        map.put(MIN_CLEANABLE_DIRTY_RATIO, List.of(new BrokerSynonym("log.cleaner.min.cleanable.ratio", 1)));
        map.put(MIN_COMPACTION_LAG_MS, List.of(new BrokerSynonym("log.cleaner.min.compaction.lag.ms", 1)));
        map.put(MAX_COMPACTION_LAG_MS, List.of(new BrokerSynonym("log.cleaner.max.compaction.lag.ms", 1)));
        return Map.copyOf(map);
    }

    private final ParsedConfig parsed;
    private final Set<String> overridden;
    // read for every batch appended: worked out once, not per batch
    private final boolean deleteEnabled;
    private final boolean compactEnabled;
    private final boolean logAppendTime;
    private final Optional<CompressionType> storedCompression;

    private LogConfig(ParsedConfig parsed, Set<String> overridden) {
        this.parsed = parsed;
        this.overridden = Set.copyOf(overridden);
        this.deleteEnabled = parsed.getList(CLEANUP_POLICY).stream().anyMatch(CLEANUP_DELETE::equalsIgnoreCase);
        this.compactEnabled = parsed.getList(CLEANUP_POLICY).stream().anyMatch(CLEANUP_COMPACT::equalsIgnoreCase);
        this.logAppendTime = LOG_APPEND_TIME.equalsIgnoreCase(parsed.getString(MESSAGE_TIMESTAMP_TYPE));
        this.storedCompression = TopicCompression.target(parsed.getString(COMPRESSION_TYPE));
    }

    /** Kafka's defaults, no broker settings, no overrides. */
    public static LogConfig defaults() {
        return create(Map.of(), Map.of());
    }

    /**
     * The effective config of a topic: {@code brokerDefaults} (topic key names, e.g. from
     * {@link #topicDefaultsFromBroker}) overlaid with the topic's {@code overrides}.
     *
     * @throws ConfigException naming the key if a value is invalid or an override key is unknown
     */
    public static LogConfig create(Map<String, ?> brokerDefaults, Map<String, ?> overrides) {
        for (String key : overrides.keySet()) {
            if (DEFINITION.key(key).isEmpty()) {
                throw new ConfigException(key, overrides.get(key), "Unknown topic configuration");
            }
        }
        Map<String, Object> merged = new HashMap<>(brokerDefaults);
        merged.putAll(overrides);
        return new LogConfig(DEFINITION.parse(merged), overrides.keySet());
    }

    /**
     * The topic-key defaults a broker configuration gives: for each topic key, the first of its
     * broker synonyms that is set, converted to the topic key's unit (hours to ms...).
     */
    public static Map<String, Object> topicDefaultsFromBroker(Map<String, ?> brokerConfig) {
        Map<String, Object> defaults = new HashMap<>();
        for (Map.Entry<String, List<BrokerSynonym>> entry : SYNONYMS.entrySet()) {
            for (BrokerSynonym synonym : entry.getValue()) {
                Object value = brokerConfig.get(synonym.name());
                if (value != null) {
                    defaults.put(entry.getKey(), convert(entry.getKey(), synonym, value));
                    break;
                }
            }
        }
        return defaults;
    }

    private static Object convert(String topicKey, BrokerSynonym synonym, Object value) {
        if (synonym.factor() == 1) {
            return value;
        }
        long amount = (Long) ConfigDef.parseValue(synonym.name(), ConfigType.LONG, value);
        return amount < 0 ? amount : Math.multiplyExact(amount, synonym.factor());
    }

    /** Broker-level keys that set {@code topicKey}'s default, most specific first. */
    public static List<BrokerSynonym> brokerSynonyms(String topicKey) {
        return SYNONYMS.getOrDefault(topicKey, List.of());
    }

    /** Keys set by topic overrides (DescribeConfigs source TOPIC_CONFIG); the rest are defaults. */
    public Set<String> overriddenKeys() {
        return overridden;
    }

    /** Every key's effective typed value. */
    public Map<String, Object> values() {
        return parsed.values();
    }

    public int segmentBytes() {
        return parsed.getInt(SEGMENT_BYTES);
    }

    public long segmentMs() {
        return parsed.getLong(SEGMENT_MS);
    }

    public int segmentIndexBytes() {
        return parsed.getInt(SEGMENT_INDEX_BYTES);
    }

    public int indexIntervalBytes() {
        return parsed.getInt(INDEX_INTERVAL_BYTES);
    }

    /** Negative means unlimited. */
    public long retentionMs() {
        return parsed.getLong(RETENTION_MS);
    }

    /** Negative means unlimited. */
    public long retentionBytes() {
        return parsed.getLong(RETENTION_BYTES);
    }

    public long flushMessages() {
        return parsed.getLong(FLUSH_MESSAGES);
    }

    public long flushMs() {
        return parsed.getLong(FLUSH_MS);
    }

    public boolean logAppendTime() {
        return logAppendTime;
    }

    public int maxMessageBytes() {
        return parsed.getInt(MAX_MESSAGE_BYTES);
    }

    public boolean deleteEnabled() {
        return deleteEnabled;
    }

    public boolean compactEnabled() {
        return compactEnabled;
    }

    public int minInSyncReplicas() {
        return parsed.getInt(MIN_IN_SYNC_REPLICAS);
    }

    public long messageTimestampBeforeMaxMs() {
        return parsed.getLong(MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
    }

    public long messageTimestampAfterMaxMs() {
        return parsed.getLong(MESSAGE_TIMESTAMP_AFTER_MAX_MS);
    }

    public long deleteRetentionMs() {
        return parsed.getLong(DELETE_RETENTION_MS);
    }

    public long fileDeleteDelayMs() {
        return parsed.getLong(FILE_DELETE_DELAY_MS);
    }

    public boolean preallocate() {
        return parsed.getBoolean(PREALLOCATE);
    }

    public String compressionType() {
        return parsed.getString(COMPRESSION_TYPE);
    }

    /** The codec client batches are stored in, if compression.type names one rather than producer. */
    public Optional<CompressionType> storedCompression() {
        return storedCompression;
    }

    /** Whether the leader throttles the replication of {@code partition} led by {@code brokerId}. */
    public boolean leaderReplicationThrottled(int partition, int brokerId) {
        return throttledReplicasContain(parsed.getList(LEADER_REPLICATION_THROTTLED_REPLICAS), partition, brokerId);
    }

    /** Whether the follower {@code brokerId} throttles its replication of {@code partition}. */
    public boolean followerReplicationThrottled(int partition, int brokerId) {
        return throttledReplicasContain(parsed.getList(FOLLOWER_REPLICATION_THROTTLED_REPLICAS), partition, brokerId);
    }

    private static boolean throttledReplicasContain(List<String> entries, int partition, int brokerId) {
        if (entries.isEmpty()) {
            return false; // the common case, checked on every follower fetch: no string built
        }
        String replica = partition + ":" + brokerId;
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (trimmed.equals("*") || trimmed.equals(replica)) {
                return true;
            }
        }
        return false;
    }

    /** Kafka's form: {@code *} alone, or PARTITION:BROKER entries. */
    private static void validThrottledReplicas(String key, Object value) {
        List<?> entries = (List<?>) value;
        for (Object entry : entries) {
            String text = entry.toString().trim();
            boolean wildcard = text.equals("*") && entries.size() == 1;
            if (!wildcard && !text.matches("\\d+:\\d+")) {
                throw new ConfigException(key, value, "Must be * or a list of PARTITION:BROKER");
            }
        }
    }

    public boolean uncleanLeaderElectionEnable() {
        return parsed.getBoolean(UNCLEAN_LEADER_ELECTION_ENABLE);
    }

    public double minCleanableDirtyRatio() {
        return parsed.getDouble(MIN_CLEANABLE_DIRTY_RATIO);
    }

    public long minCompactionLagMs() {
        return parsed.getLong(MIN_COMPACTION_LAG_MS);
    }

    public long maxCompactionLagMs() {
        return parsed.getLong(MAX_COMPACTION_LAG_MS);
    }

    @Override
    public String toString() {
        return "LogConfig" + parsed.values();
    }
}
