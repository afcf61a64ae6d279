package io.gregor.broker.config;

import static io.gregor.protocol.config.ConfigType.BOOLEAN;
import static io.gregor.protocol.config.ConfigType.DOUBLE;
import static io.gregor.protocol.config.ConfigType.INT;
import static io.gregor.protocol.config.ConfigType.LIST;
import static io.gregor.protocol.config.ConfigType.LONG;
import static io.gregor.protocol.config.ConfigType.PASSWORD;
import static io.gregor.protocol.config.ConfigType.STRING;

import io.gregor.metadata.control.DelegationTokenSettings;
import io.gregor.metadata.quorum.QuorumVoter;
import io.gregor.metadata.token.TokenHmac;
import io.gregor.metadata.quorum.RaftQuorumSettings;
import io.gregor.broker.client.SaslClientCredentials;
import io.gregor.broker.replication.ReplicaSelector;
import io.gregor.broker.security.JaasEntry;
import io.gregor.broker.replication.ReplicationConfig;
import io.gregor.broker.replication.ThrottleRates;
import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.config.Importance;
import io.gregor.protocol.config.Password;
import io.gregor.protocol.config.ConfigException;
import io.gregor.protocol.config.Validator;
import io.gregor.storage.cleaner.CleanerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker's configuration: Kafka's key names and defaults wherever the meaning is the same,
 * typed, validated at construction, with the documentation of every key in {@link #DEFINITIONS}.
 * Immutable; safe to share between threads.
 *
 * <p>Build one with {@link #parse(Map)} from server.properties text and overrides; an invalid
 * value throws {@link ConfigException} naming key and value, unknown keys are collected in
 * {@link #warnings()} for the server to log. Keys whose meaning derives from others (for example
 * {@code log.retention.ms} over {@code log.retention.minutes} over {@code log.retention.hours})
 * are resolved by the typed accessors, so callers never look at the raw keys.
 */
public final class BrokerConfig {
    public static final String NODE_ID = "node.id";
    public static final String PROCESS_ROLES = "process.roles";
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String INTER_BROKER_LISTENER_NAME = "inter.broker.listener.name";
    public static final String SSL_KEYSTORE_LOCATION = "ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "ssl.key.password";
    public static final String SSL_TRUSTSTORE_LOCATION = "ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "ssl.truststore.type";
    public static final String SSL_CLIENT_AUTH = "ssl.client.auth";
    public static final String SSL_ENABLED_PROTOCOLS = "ssl.enabled.protocols";
    public static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM = "ssl.endpoint.identification.algorithm";
    public static final String SSL_ALLOW_DN_CHANGES = "ssl.allow.dn.changes";
    public static final String SSL_ALLOW_SAN_CHANGES = "ssl.allow.san.changes";
    public static final String SASL_ENABLED_MECHANISMS = "sasl.enabled.mechanisms";
    public static final String SASL_MECHANISM_INTER_BROKER_PROTOCOL = "sasl.mechanism.inter.broker.protocol";
    public static final String SASL_OAUTHBEARER_JWKS_ENDPOINT_URL = "sasl.oauthbearer.jwks.endpoint.url";
    public static final String SASL_OAUTHBEARER_JWKS_ENDPOINT_REFRESH_MS = "sasl.oauthbearer.jwks.endpoint.refresh.ms";
    public static final String SASL_OAUTHBEARER_JWKS_ENDPOINT_RETRY_BACKOFF_MS =
            "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms";
    public static final String SASL_OAUTHBEARER_JWKS_ENDPOINT_RETRY_BACKOFF_MAX_MS =
            "sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms";
    public static final String SASL_OAUTHBEARER_EXPECTED_AUDIENCE = "sasl.oauthbearer.expected.audience";
    public static final String SASL_OAUTHBEARER_EXPECTED_ISSUER = "sasl.oauthbearer.expected.issuer";
    public static final String SASL_OAUTHBEARER_SUB_CLAIM_NAME = "sasl.oauthbearer.sub.claim.name";
    public static final String SASL_OAUTHBEARER_SCOPE_CLAIM_NAME = "sasl.oauthbearer.scope.claim.name";
    public static final String SASL_OAUTHBEARER_CLOCK_SKEW_SECONDS = "sasl.oauthbearer.clock.skew.seconds";
    /** The keys a listener may override as listener.name.LISTENER.KEY, as in Kafka. */
    static final List<String> LISTENER_KEYS = List.of(SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD,
            SSL_KEYSTORE_TYPE, SSL_KEY_PASSWORD, SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_PASSWORD, SSL_TRUSTSTORE_TYPE,
            SSL_CLIENT_AUTH, SSL_ENABLED_PROTOCOLS, SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, SSL_ALLOW_DN_CHANGES,
            SSL_ALLOW_SAN_CHANGES, SASL_ENABLED_MECHANISMS, BrokerConfig.MAX_CONNECTIONS, SASL_OAUTHBEARER_JWKS_ENDPOINT_URL, SASL_OAUTHBEARER_JWKS_ENDPOINT_REFRESH_MS,
            SASL_OAUTHBEARER_JWKS_ENDPOINT_RETRY_BACKOFF_MS, SASL_OAUTHBEARER_JWKS_ENDPOINT_RETRY_BACKOFF_MAX_MS,
            SASL_OAUTHBEARER_EXPECTED_AUDIENCE, SASL_OAUTHBEARER_EXPECTED_ISSUER, SASL_OAUTHBEARER_SUB_CLAIM_NAME,
            SASL_OAUTHBEARER_SCOPE_CLAIM_NAME, SASL_OAUTHBEARER_CLOCK_SKEW_SECONDS);
    private static final Pattern LISTENER_KEY =
            Pattern.compile("listener\\.name\\.([A-Za-z0-9_]+)\\.((?:ssl|sasl)\\..+|max\\.connections)");
    /** The mechanisms a SASL listener can offer. */
    public static final List<String> SUPPORTED_SASL_MECHANISMS =
            List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER");
    /** The mechanisms a broker can authenticate to the others with: it has no way to obtain tokens. */
    private static final List<String> INTER_BROKER_SASL_MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    private static final Pattern LISTENER_JAAS_CONFIG =
            Pattern.compile("listener\\.name\\.([A-Za-z0-9_]+)\\.([A-Za-z0-9-]+)\\.sasl\\.jaas\\.config");
    private static final Pattern LISTENER_CALLBACK_HANDLER = Pattern.compile(
            "listener\\.name\\.([A-Za-z0-9_]+)\\.([A-Za-z0-9-]+)\\.sasl\\.server\\.callback\\.handler\\.class");
    public static final String CONNECTION_FAILED_AUTHENTICATION_DELAY_MS = "connection.failed.authentication.delay.ms";
    public static final String CONNECTIONS_MAX_REAUTH_MS = "connections.max.reauth.ms";
    public static final String AUTHORIZER_CLASS_NAME = "authorizer.class.name";
    public static final String SUPER_USERS = "super.users";
    public static final String ALLOW_EVERYONE_IF_NO_ACL_FOUND = "allow.everyone.if.no.acl.found";
    public static final String DELEGATION_TOKEN_SECRET_KEY = "delegation.token.secret.key";
    /** The name Kafka gave delegation.token.secret.key before 2.8, still accepted. */
    public static final String DELEGATION_TOKEN_MASTER_KEY = "delegation.token.master.key";
    public static final String DELEGATION_TOKEN_MAX_LIFETIME_MS = "delegation.token.max.lifetime.ms";
    public static final String DELEGATION_TOKEN_EXPIRY_TIME_MS = "delegation.token.expiry.time.ms";
    public static final String DELEGATION_TOKEN_EXPIRY_CHECK_INTERVAL_MS = "delegation.token.expiry.check.interval.ms";
    /** Kafka's ACL authorizer for KRaft clusters, whose rules Gregor's authorizer follows. */
    public static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    public static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
    public static final String CONTROLLER_QUORUM_VOTERS = "controller.quorum.voters";
    public static final String BROKER_RACK = "broker.rack";
    public static final String CLUSTER_ID = "cluster.id";
    public static final String BROKER_SESSION_TIMEOUT_MS = "broker.session.timeout.ms";
    public static final String BROKER_HEARTBEAT_INTERVAL_MS = "broker.heartbeat.interval.ms";
    public static final String AUTO_LEADER_REBALANCE_ENABLE = "auto.leader.rebalance.enable";
    public static final String LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS = "leader.imbalance.check.interval.seconds";
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
    public static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
    public static final String QUEUED_MAX_REQUEST_BYTES = "queued.max.request.bytes";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String QUOTA_WINDOW_NUM = "quota.window.num";
    public static final String QUOTA_WINDOW_SIZE_SECONDS = "quota.window.size.seconds";
    public static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    public static final String MAX_CONNECTIONS_PER_IP_OVERRIDES = "max.connections.per.ip.overrides";
    /** A socket buffer size in bytes, or -1 for the operating system's default (and its auto-tuning). */
    private static final Validator SOCKET_BUFFER_SIZE = (key, value) -> {
        int bytes = (Integer) value;
        if (bytes != -1 && bytes < 1) {
            throw new ConfigException(key, value, "Value must be -1 (the operating system's default) or at least 1");
        }
    };
    /** Gregor's own: where the Prometheus scrape endpoint listens, HOST:PORT; empty for none. */
    public static final String METRICS_PROMETHEUS_LISTENER = "metrics.prometheus.listener";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String NUM_IO_THREADS = "num.io.threads";
    public static final String MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS = "max.incremental.fetch.session.cache.slots";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    public static final String LOG_ROLL_MS = "log.roll.ms";
    public static final String LOG_ROLL_HOURS = "log.roll.hours";
    public static final String LOG_RETENTION_MS = "log.retention.ms";
    public static final String LOG_RETENTION_MINUTES = "log.retention.minutes";
    public static final String LOG_RETENTION_HOURS = "log.retention.hours";
    public static final String LOG_RETENTION_BYTES = "log.retention.bytes";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_FLUSH_INTERVAL_MESSAGES = "log.flush.interval.messages";
    public static final String LOG_FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    public static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    public static final String NUM_RECOVERY_THREADS_PER_DATA_DIR = "num.recovery.threads.per.data.dir";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    public static final String PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS = "producer.id.expiration.check.interval.ms";
    public static final String LOG_INDEX_SIZE_MAX_BYTES = "log.index.size.max.bytes";
    public static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String LOG_MESSAGE_TIMESTAMP_TYPE = "log.message.timestamp.type";
    public static final String LOG_CLEANUP_POLICY = "log.cleanup.policy";
    public static final String LOG_SEGMENT_DELETE_DELAY_MS = "log.segment.delete.delay.ms";
    public static final String LOG_CLEANER_DELETE_RETENTION_MS = "log.cleaner.delete.retention.ms";
    public static final String LOG_CLEANER_ENABLE = CleanerConfig.ENABLE;
    public static final String LOG_CLEANER_THREADS = CleanerConfig.THREADS;
    public static final String LOG_CLEANER_DEDUPE_BUFFER_SIZE = CleanerConfig.DEDUPE_BUFFER_SIZE;
    public static final String LOG_CLEANER_IO_MAX_BYTES_PER_SECOND = CleanerConfig.IO_MAX_BYTES_PER_SECOND;
    public static final String LOG_CLEANER_BACKOFF_MS = CleanerConfig.BACKOFF_MS;
    public static final String LOG_CLEANER_MIN_CLEANABLE_RATIO = "log.cleaner.min.cleanable.ratio";
    public static final String LOG_CLEANER_MIN_COMPACTION_LAG_MS = "log.cleaner.min.compaction.lag.ms";
    public static final String LOG_CLEANER_MAX_COMPACTION_LAG_MS = "log.cleaner.max.compaction.lag.ms";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    public static final String REPLICA_LAG_TIME_MAX_MS = "replica.lag.time.max.ms";
    public static final String REPLICA_FETCH_WAIT_MAX_MS = "replica.fetch.wait.max.ms";
    public static final String REPLICA_FETCH_MIN_BYTES = "replica.fetch.min.bytes";
    public static final String REPLICA_FETCH_MAX_BYTES = "replica.fetch.max.bytes";
    public static final String REPLICA_FETCH_RESPONSE_MAX_BYTES = "replica.fetch.response.max.bytes";
    public static final String REPLICA_FETCH_BACKOFF_MS = "replica.fetch.backoff.ms";
    public static final String LEADER_REPLICATION_THROTTLED_RATE = ThrottleRates.LEADER_RATE;
    public static final String FOLLOWER_REPLICATION_THROTTLED_RATE = ThrottleRates.FOLLOWER_RATE;
    public static final String REPLICA_SELECTOR_CLASS = "replica.selector.class";
    public static final String REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS =
            "replica.high.watermark.checkpoint.interval.ms";
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String OFFSETS_TOPIC_REPLICATION_FACTOR = "offsets.topic.replication.factor";
    public static final String TRANSACTION_STATE_LOG_NUM_PARTITIONS = "transaction.state.log.num.partitions";
    public static final String TRANSACTION_STATE_LOG_REPLICATION_FACTOR = "transaction.state.log.replication.factor";
    public static final String TRANSACTION_STATE_LOG_MIN_ISR = "transaction.state.log.min.isr";
    public static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    public static final String TRANSACTION_VERSION = "transaction.version";
    public static final String TRANSACTIONAL_ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    public static final String TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS =
            "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    public static final String TRANSACTION_REMOVE_EXPIRED_TRANSACTION_CLEANUP_INTERVAL_MS =
            "transaction.remove.expired.transaction.cleanup.interval.ms";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String GROUP_CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_ASSIGNORS = "group.consumer.assignors";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";

    /** "Never", for the flush and retention settings where Kafka uses Long.MAX_VALUE. */
    public static final long NEVER = Long.MAX_VALUE;
    /** The value of retention.ms / retention.bytes that means "keep forever". */
    public static final long UNLIMITED = -1L;

    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);
    private static final long MINUTE_MS = TimeUnit.MINUTES.toMillis(1);

    /** The end of the documentation of each topic default that is also a dynamic broker config. */
    private static final String DYNAMIC_TOPIC_DEFAULT = " Also a dynamic broker config: set per broker or as the "
            + "cluster default, it applies at once to the topics without a setting of their own.";

    /** The end of the documentation of the connection limits that are also dynamic broker configs. */
    private static final String DYNAMIC_CONNECTION_LIMIT = " Also a dynamic broker config: set per broker or as "
            + "the cluster default, it applies to the connections accepted from then on.";

    /** Every key the broker understands, in the order the documentation lists them. */
    public static final BrokerConfigDefinitions DEFINITIONS = BrokerConfigDefinitions.builder()
            // --- identity and roles
            .define(NODE_ID, INT, 1, Validator.atLeast(0), "at least 0",
                    "The id of this node in the cluster; unique among brokers and controllers.", "broker.id")
            .define(PROCESS_ROLES, LIST, List.of("broker", "controller"),
                    Validator.oneOf("broker", "controller"), "one of broker, controller",
                    "The roles of this node: broker (serves clients), controller (keeps cluster metadata), "
                            + "or both, which is how a single node runs.")
            .defineOptional(BROKER_RACK, STRING, Validator.ANY, "",
                    "The rack (or availability zone) of this broker; replicas of a partition are spread over "
                            + "racks when set. Unset: rack-unaware.")
            // --- network
            .define(LISTENERS, LIST, List.of("PLAINTEXT://localhost:9092"), Validator.ANY, "",
                    "Where the broker accepts connections: comma-separated NAME://host:port entries. An empty "
                            + "host binds every interface; port 0 picks a free port.")
            .define(ADVERTISED_LISTENERS, LIST, List.of(), Validator.ANY, "",
                    "The addresses given to clients in metadata responses, as NAME://host:port entries whose "
                            + "names appear in listeners. Empty: the listeners themselves.")
            .define(LISTENER_SECURITY_PROTOCOL_MAP, LIST,
                    List.of("PLAINTEXT:PLAINTEXT", "SSL:SSL", "SASL_PLAINTEXT:SASL_PLAINTEXT", "SASL_SSL:SASL_SSL",
                            "CONTROLLER:PLAINTEXT"),
                    Validator.ANY, "",
                    "The security protocol of each listener name, as NAME:PROTOCOL pairs; protocols are "
                            + "PLAINTEXT, SSL, SASL_PLAINTEXT and SASL_SSL. Every ssl.* key, and "
                            + "sasl.enabled.mechanisms, may also be set for one listener as "
                            + "listener.name.LISTENER.KEY (the listener's name in lower case), which wins over "
                            + "KEY for that listener; so may max.connections, a limit of the listener's own.")
            .defineOptional(SSL_KEYSTORE_LOCATION, STRING, Validator.ANY, "",
                    "The key store file with the private key and certificate chain SSL listeners present. Its "
                            + "listener.name.LISTENER. form, like those of the other ssl.keystore.*, ssl.key.password "
                            + "and ssl.truststore.* keys, is also a dynamic broker config of one broker: the "
                            + "listener's certificate is replaced while it runs (new connections get it).")
            .defineOptional(SSL_KEYSTORE_PASSWORD, PASSWORD, Validator.ANY, "",
                    "The password of the key store file.")
            .define(SSL_KEYSTORE_TYPE, STRING, "JKS", Validator.oneOf("JKS", "PKCS12"), "one of JKS, PKCS12",
                    "The format of the key store file.")
            .defineOptional(SSL_KEY_PASSWORD, PASSWORD, Validator.ANY, "",
                    "The password of the private key in the key store. Unset: the key store's password.")
            .defineOptional(SSL_TRUSTSTORE_LOCATION, STRING, Validator.ANY, "",
                    "The trust store file with the certificates that client certificates are checked "
                            + "against (ssl.client.auth). Unset: the JVM's default trust store.")
            .defineOptional(SSL_TRUSTSTORE_PASSWORD, PASSWORD, Validator.ANY, "",
                    "The password of the trust store file.")
            .define(SSL_TRUSTSTORE_TYPE, STRING, "JKS", Validator.oneOf("JKS", "PKCS12"), "one of JKS, PKCS12",
                    "The format of the trust store file.")
            .define(SSL_CLIENT_AUTH, STRING, "none", Validator.oneOf("required", "requested", "none"),
                    "one of required, requested, none",
                    "Whether SSL listeners ask clients for a certificate: required (a client without a "
                            + "trusted one is refused), requested, or none.")
            .define(SSL_ENABLED_PROTOCOLS, LIST, List.of("TLSv1.2", "TLSv1.3"), Validator.ANY, "",
                    "The TLS versions SSL and SASL_SSL listeners accept.")
            .define(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, STRING, "https", Validator.oneOf("https", ""),
                    "https, or empty",
                    "How a node checks the certificate of the node it connects to over an SSL or SASL_SSL "
                            + "inter-broker listener or an SSL controller listener: https, the certificate must "
                            + "name the host the node connects to (a DNS or IP subject alternative name); "
                            + "empty, any certificate the trust store vouches for is accepted.")
            .define(SSL_ALLOW_DN_CHANGES, BOOLEAN, false, Validator.ANY, "",
                    "Whether a certificate rotated in at run time (the dynamic listener.name.LISTENER.ssl.keystore.* "
                            + "configs) may name another subject (distinguished name) than the one in force "
                            + "(KIP-978). false: such a change is refused.")
            .define(SSL_ALLOW_SAN_CHANGES, BOOLEAN, false, Validator.ANY, "",
                    "Whether a certificate rotated in at run time may name other subject alternative names "
                            + "than the one in force (KIP-978). false: such a change is refused.")
            .define(SASL_ENABLED_MECHANISMS, LIST, List.of("GSSAPI"), Validator.ANY, "",
                    "The SASL mechanisms SASL_PLAINTEXT and SASL_SSL listeners offer: PLAIN, SCRAM-SHA-256, "
                            + "SCRAM-SHA-512, OAUTHBEARER. Kafka's default, GSSAPI (Kerberos), is not supported, so "
                            + "a SASL listener needs this set. PLAIN checks the user_NAME=\"password\" entries of "
                            + "listener.name.LISTENER.plain.sasl.jaas.config (or of the KafkaServer section of the "
                            + "JAAS file named by -Djava.security.auth.login.config); SCRAM checks the credentials "
                            + "stored in the cluster metadata; OAUTHBEARER checks the client's token, signed ones "
                            + "against " + SASL_OAUTHBEARER_JWKS_ENDPOINT_URL + ".")
            .define(CONNECTIONS_MAX_REAUTH_MS, LONG, 0L, Validator.atLeast(0), "at least 0",
                    "0: a SASL client stays authenticated for the life of its connection. Otherwise clients are "
                            + "told their session lasts this long and re-authenticate before it ends, as the same "
                            + "user (KIP-368); a connection whose session ended is closed at its next request, so "
                            + "a deleted or changed credential stops working on open connections too.")
            .define(SASL_MECHANISM_INTER_BROKER_PROTOCOL, STRING, "GSSAPI", Validator.ANY, "",
                    "The SASL mechanism brokers authenticate to each other with when the inter-broker "
                            + "listener is SASL_PLAINTEXT or SASL_SSL: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (not "
                            + "OAUTHBEARER), one of "
                            + "sasl.enabled.mechanisms. The broker's own user is the username and password options "
                            + "of listener.name.LISTENER.MECHANISM.sasl.jaas.config of that listener; a SCRAM user "
                            + "must have its credential in the cluster metadata.")
            .defineOptional(SASL_OAUTHBEARER_JWKS_ENDPOINT_URL, STRING, Validator.ANY, "an https://, http:// or file: URL",
                    "Where the keys that sign OAUTHBEARER tokens are read (a JWKS, as the identity provider publishes "
                            + "it). Set, or with listener.name.LISTENER.oauthbearer.sasl.server.callback.handler.class "
                            + "naming " + OAuthBearerSettings.KAFKA_VALIDATOR_CALLBACK_HANDLER + ", a listener "
                            + "accepts signed tokens only (KIP-768); unset, it accepts unsecured tokens (alg none), "
                            + "as Kafka does, for development only. As for Kafka 4, the URL must be listed in the "
                            + "JVM property -D" + OAuthBearerSettings.ALLOWED_URLS_PROPERTY + ".")
            .define(SASL_OAUTHBEARER_JWKS_ENDPOINT_REFRESH_MS, LONG, HOUR_MS, Validator.atLeast(1), "at least 1",
                    "How often the JWKS is read again, so that keys the identity provider adds are known. A token "
                            + "signed with a key not yet known also brings the next read forward.")
            .define(SASL_OAUTHBEARER_JWKS_ENDPOINT_RETRY_BACKOFF_MS, LONG, 100L, Validator.atLeast(0), "at least 0",
                    "How long to wait before reading the JWKS again after a failed read; doubled at each "
                            + "failure up to " + SASL_OAUTHBEARER_JWKS_ENDPOINT_RETRY_BACKOFF_MAX_MS + ".")
            .define(SASL_OAUTHBEARER_JWKS_ENDPOINT_RETRY_BACKOFF_MAX_MS, LONG, 10_000L, Validator.atLeast(0),
                    "at least 0", "The longest wait between failed reads of the JWKS.")
            .define(SASL_OAUTHBEARER_EXPECTED_AUDIENCE, LIST, List.of(), Validator.ANY, "",
                    "Empty: the aud claim of a signed OAUTHBEARER token is not checked. Otherwise the token's aud "
                            + "must name one of these.")
            .defineOptional(SASL_OAUTHBEARER_EXPECTED_ISSUER, STRING, Validator.ANY, "",
                    "Unset: the iss claim of a signed OAUTHBEARER token is not checked. Otherwise it must be "
                            + "exactly this.")
            .define(SASL_OAUTHBEARER_SUB_CLAIM_NAME, STRING, "sub", Validator.ANY, "",
                    "The claim of a signed OAUTHBEARER token that names its principal: the client is User:VALUE.")
            .define(SASL_OAUTHBEARER_SCOPE_CLAIM_NAME, STRING, "scope", Validator.ANY, "",
                    "The claim of a signed OAUTHBEARER token that holds its scopes. Accepted so that Kafka's "
                            + "settings carry over; no scope of a signed token is checked, as in Kafka.")
            .define(SASL_OAUTHBEARER_CLOCK_SKEW_SECONDS, INT, 30, Validator.atLeast(0), "at least 0",
                    "How far the clocks of the broker and the identity provider may differ when the exp, nbf and "
                            + "iat claims of a signed OAUTHBEARER token are checked.")
            .define(AUTHORIZER_CLASS_NAME, STRING, "", Validator.oneOf("", STANDARD_AUTHORIZER),
                    "empty or " + STANDARD_AUTHORIZER,
                    "Empty: every client may do everything. " + STANDARD_AUTHORIZER + ": requests are checked "
                            + "against the ACLs kept in the cluster metadata (managed with CreateAcls and DeleteAcls), "
                            + "with Kafka's rules.")
            .define(SUPER_USERS, STRING, "", Validator.ANY, "",
                    "Principals that may do everything whatever the ACLs say, separated by semicolons, e.g. "
                            + "User:admin;User:CN=broker1.")
            .define(ALLOW_EVERYONE_IF_NO_ACL_FOUND, BOOLEAN, false, Validator.ANY, "",
                    "Whether a resource that no ACL names at all is open to everyone (true) or to super users "
                            + "only (false, Kafka's default).")
            .defineOptional(DELEGATION_TOKEN_SECRET_KEY, PASSWORD, Validator.ANY, "",
                    "The secret key delegation tokens' HMACs are computed with; the same on every node of the "
                            + "cluster. Unset: delegation tokens are disabled, and their APIs answer "
                            + "DELEGATION_TOKEN_AUTH_DISABLED. Changing it invalidates every token.")
            .defineOptional(DELEGATION_TOKEN_MASTER_KEY, PASSWORD, Validator.ANY, "",
                    "Kafka's older name of " + DELEGATION_TOKEN_SECRET_KEY + ", used when that is unset.")
            .define(DELEGATION_TOKEN_MAX_LIFETIME_MS, LONG, 7L * 24 * 60 * 60 * 1000, Validator.atLeast(1),
                    "at least 1",
                    "How long a delegation token lives at most, however often it is renewed; a client may ask "
                            + "for less when it creates the token.")
            .define(DELEGATION_TOKEN_EXPIRY_TIME_MS, LONG, 24L * 60 * 60 * 1000, Validator.atLeast(1), "at least 1",
                    "How long a delegation token lives after its creation, and after a renewal that names no "
                            + "period, unless it is renewed.")
            .define(DELEGATION_TOKEN_EXPIRY_CHECK_INTERVAL_MS, LONG, 60L * 60 * 1000, Validator.atLeast(1),
                    "at least 1",
                    "How often the active controller removes the delegation tokens past their expiry. An expired "
                            + "token no longer authenticates even before it is removed.")
            .define(CONNECTION_FAILED_AUTHENTICATION_DELAY_MS, INT, 100, Validator.atLeast(0), "at least 0",
                    "How long a connection whose SASL authentication failed stays open, answering nothing, "
                            + "before it is closed: slows down guessing passwords.")
            .defineOptional(INTER_BROKER_LISTENER_NAME, STRING, Validator.ANY, "",
                    "The listener brokers use to talk to each other (replication). Unset: the first entry "
                            + "of listeners that is not a controller listener.")
            .define(CONTROLLER_LISTENER_NAMES, LIST, List.of(), Validator.ANY, "",
                    "The names of the listeners used by the controller quorum. A single node needs none.")
            .define(CONTROLLER_QUORUM_VOTERS, LIST, List.of(), Validator.ANY, "",
                    "The controller quorum as id@host:port entries, the same on every node; each port is "
                            + "where that controller's Raft (gRPC) server listens, its controller listener. "
                            + "Empty: this node alone keeps the metadata log on its own disk.")
            .defineOptional(CLUSTER_ID, STRING, BrokerConfig::ensureClusterId, "22 characters of URL-safe base64 (a UUID)",
                    "The cluster id a new data directory is given (in meta.properties); a directory that "
                            + "holds another one refuses to start. Unset: a random id for a single node, and "
                            + "in a cluster an id derived from controller.quorum.voters, so that the nodes "
                            + "of one cluster agree without a format step.")
            .define(BROKER_SESSION_TIMEOUT_MS, INT, 9000, Validator.atLeast(1), "at least 1",
                    "How long the active controller waits for a broker's heartbeat before it fences the "
                            + "broker and moves its partition leaderships to other in-sync replicas.")
            .define(BROKER_HEARTBEAT_INTERVAL_MS, INT, 2000, Validator.atLeast(1), "at least 1",
                    "How often a broker sends a heartbeat to the active controller.")
            .define(SOCKET_REQUEST_MAX_BYTES, INT, 104857600, Validator.atLeast(1), "at least 1",
                    "The largest request the broker accepts; a larger frame is refused before any memory "
                            + "is allocated for it.")
            .define(QUEUED_MAX_REQUEST_BYTES, LONG, -1L, Validator.ANY,
                    "-1, or at least socket.request.max.bytes",
                    "The bytes of requests the broker holds at once, across all connections, before it "
                            + "reads no more: a request's size counts from when its size is read until it "
                            + "is answered. A connection whose next request does not fit waits, unread, "
                            + "until memory is given back; a request is let in while any memory is left, so "
                            + "the bound is exceeded by at most one request. -1: no bound.")
            .define(CONNECTIONS_MAX_IDLE_MS, LONG, 600000L, Validator.atLeast(1), "at least 1",
                    "How long a client connection may go without a byte read or written, and without a "
                            + "request in progress, before the broker closes it.")
            .define(MAX_CONNECTIONS, INT, Integer.MAX_VALUE, Validator.atLeast(0), "at least 0",
                    "How many connections the broker holds on all its listeners together. At that many the "
                            + "client listeners stop accepting: new clients wait (their connect succeeds, their "
                            + "first request waits) until a connection closes. When the broker has more listeners "
                            + "than the inter-broker one, that one keeps accepting, and its connections count. "
                            + "listener.name.LISTENER.max.connections limits one listener likewise (statically). "
                            + "Also a dynamic broker config, per broker or as the cluster default: a lower value "
                            + "closes no connection, the listeners stop accepting until enough have closed.")
            .define(QUOTA_WINDOW_NUM, INT, 11, Validator.atLeast(2), "at least 2",
                    "How many windows the rates of client quotas are measured over (producer_byte_rate, "
                            + "consumer_byte_rate; docs/operations.md). A client's rate is its bytes in "
                            + "these windows divided by the time they span, never by less than this many "
                            + "windows less one.")
            .define(QUOTA_WINDOW_SIZE_SECONDS, INT, 1, Validator.atLeast(1), "at least 1",
                    "The length of each window client quotas are measured over, in seconds.")
            .define(MAX_CONNECTIONS_PER_IP, INT, Integer.MAX_VALUE, Validator.atLeast(0), "at least 0",
                    "How many connections one client address may have open to the broker's listeners; "
                            + "a connection beyond that is closed as soon as it is accepted. 0 is allowed "
                            + "only with max.connections.per.ip.overrides, to admit only the addresses it names."
                            + DYNAMIC_CONNECTION_LIMIT)
            .define(MAX_CONNECTIONS_PER_IP_OVERRIDES, LIST, List.of(), Validator.ANY, "HOST:LIMIT,...",
                    "Limits of some client addresses instead of max.connections.per.ip, by host name or IP "
                            + "address, for example host1:100,127.0.0.1:200." + DYNAMIC_CONNECTION_LIMIT)
            .define(SOCKET_SEND_BUFFER_BYTES, INT, 102400, SOCKET_BUFFER_SIZE, "-1, or at least 1",
                    "The SO_SNDBUF size of client connections; -1 leaves the operating system's default.")
            .define(SOCKET_RECEIVE_BUFFER_BYTES, INT, 102400, SOCKET_BUFFER_SIZE, "-1, or at least 1",
                    "The SO_RCVBUF size of client connections; -1 leaves the operating system's default.")
            .define(NUM_NETWORK_THREADS, INT, 3, Validator.atLeast(1), "at least 1",
                    "Threads that read requests from and write responses to connections.")
            .define(NUM_IO_THREADS, INT, 8, Validator.atLeast(1), "at least 1",
                    "Threads that run request handlers which may touch the disk. Also a dynamic broker "
                            + "config, per broker or as the cluster default; as in Kafka a change may at most "
                            + "double or halve the number in force.")
            .define(MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, INT, 1000, Validator.atLeast(0), "at least 0",
                    "How many incremental fetch sessions (KIP-227) the broker keeps, consumers' and followers' "
                            + "together. In a session a client's fetches list only the partitions whose position "
                            + "changed and the answers only those with news. When all slots are taken, a new "
                            + "session evicts one unused for two minutes, or else a consumer's to make room for a "
                            + "follower's, or a smaller one, at least two minutes old, for a larger one; otherwise "
                            + "the client fetches without a session. 0: no sessions.")
            .define(MESSAGE_MAX_BYTES, INT, 1048588, Validator.atLeast(0), "at least 0",
                    "The largest record batch the broker accepts, after compression. Default for the "
                            + "topic setting max.message.bytes." + DYNAMIC_TOPIC_DEFAULT)
            // --- metrics
            .define(METRICS_PROMETHEUS_LISTENER, STRING, "", BrokerConfig::ensureHostAndPort, "HOST:PORT, or empty",
                    "Gregor's own setting (Kafka has none): where to serve the broker's meters to Prometheus, "
                            + "as GET /metrics over HTTP, e.g. 0.0.0.0:9404. Empty: no endpoint. See "
                            + "docs/operations.md#prometheus for the metric names.")
            // --- topics
            .define(NUM_PARTITIONS, INT, 1, Validator.atLeast(1), "at least 1",
                    "The number of partitions of a topic created without an explicit count (including "
                            + "auto-created topics).")
            .define(DEFAULT_REPLICATION_FACTOR, INT, 1, Validator.between(1, Short.MAX_VALUE), "1 to 32767",
                    "The replication factor of a topic created without an explicit one.")
            .define(AUTO_CREATE_TOPICS_ENABLE, BOOLEAN, true, Validator.ANY, "",
                    "Create a topic when a client asks for metadata of, or produces to, a topic that does "
                            + "not exist.")
            .define(DELETE_TOPIC_ENABLE, BOOLEAN, true, Validator.ANY, "",
                    "Allow topics to be deleted; when false, DeleteTopics is refused.")
            // --- log storage
            .define(LOG_DIRS, LIST, List.of(), Validator.ANY, "",
                    "The directories that hold partition data, comma-separated. Empty: log.dir.")
            .define(LOG_DIR, STRING, "./gregor-data", Validator.ANY, "",
                    "The data directory used when log.dirs is not set.")
            .define(LOG_SEGMENT_BYTES, INT, 1073741824, Validator.atLeast(14), "at least 14",
                    "The size at which a partition's active segment is closed and a new one started. "
                            + "Default for the topic setting segment.bytes." + DYNAMIC_TOPIC_DEFAULT)
            .defineOptional(LOG_ROLL_MS, LONG, Validator.atLeast(1), "at least 1",
                    "The age at which a segment is rolled even if not full. Default for segment.ms. "
                            + "Unset: log.roll.hours." + DYNAMIC_TOPIC_DEFAULT)
            .define(LOG_ROLL_HOURS, INT, 168, Validator.atLeast(1), "at least 1",
                    "The segment roll age in hours, used when log.roll.ms is not set.")
            .defineOptional(LOG_RETENTION_MS, LONG, Validator.ANY, "",
                    "How long records are kept before their segment may be deleted; -1 keeps them forever. "
                            + "Default for retention.ms. Unset: log.retention.minutes." + DYNAMIC_TOPIC_DEFAULT)
            .defineOptional(LOG_RETENTION_MINUTES, INT, Validator.ANY, "",
                    "Retention in minutes, used when log.retention.ms is not set. Unset: log.retention.hours.")
            .define(LOG_RETENTION_HOURS, INT, 168, Validator.ANY, "",
                    "Retention in hours, used when neither log.retention.ms nor log.retention.minutes is set.")
            .define(LOG_RETENTION_BYTES, LONG, UNLIMITED, Validator.ANY, "",
                    "The size a partition may grow to before its oldest segments are deleted; -1 means no "
                            + "limit. Default for retention.bytes." + DYNAMIC_TOPIC_DEFAULT)
            .define(LOG_RETENTION_CHECK_INTERVAL_MS, LONG, 300000L, Validator.atLeast(1), "at least 1",
                    "How often the retention thread looks for segments to delete.")
            .define(LOG_FLUSH_INTERVAL_MESSAGES, LONG, NEVER, Validator.atLeast(1), "at least 1",
                    "Force data to disk (fsync) after this many records on a partition. The default leaves "
                            + "flushing to the operating system's page cache. Default for flush.messages." + DYNAMIC_TOPIC_DEFAULT)
            .defineOptional(LOG_FLUSH_INTERVAL_MS, LONG, Validator.atLeast(0), "at least 0",
                    "Force data to disk when it has been unflushed this long. Default for flush.ms. "
                            + "Unset: log.flush.scheduler.interval.ms." + DYNAMIC_TOPIC_DEFAULT)
            .define(LOG_FLUSH_SCHEDULER_INTERVAL_MS, LONG, NEVER, Validator.atLeast(0), "at least 0",
                    "How often the flusher checks whether a log needs flushing by time.")
            .define(NUM_RECOVERY_THREADS_PER_DATA_DIR, INT, 2, Validator.atLeast(1), "at least 1",
                    "Threads per data directory that open the partition logs at start-up, recovering the "
                            + "unflushed tail of each after an unclean stop.")
            .define(PRODUCER_ID_EXPIRATION_MS, LONG, 86400000L, Validator.atLeast(1), "at least 1",
                    "How long a partition keeps the state of an idempotent producer that has not written; "
                            + "after that its next batch is accepted as from a new producer.")
            .define(PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS, LONG, 600000L, Validator.atLeast(1), "at least 1",
                    "How often idle producer ids are looked for and expired.")
            .define(LOG_INDEX_SIZE_MAX_BYTES, INT, 10485760, Validator.atLeast(4), "at least 4",
                    "The largest size of a segment's offset or time index; a full index rolls the segment. "
                            + "Default for segment.index.bytes." + DYNAMIC_TOPIC_DEFAULT)
            .define(LOG_INDEX_INTERVAL_BYTES, INT, 4096, Validator.atLeast(0), "at least 0",
                    "Bytes of records between two offset index entries. Default for index.interval.bytes." + DYNAMIC_TOPIC_DEFAULT)
            .define(LOG_MESSAGE_TIMESTAMP_TYPE, STRING, "CreateTime", 
                    Validator.oneOf("CreateTime", "LogAppendTime"), "one of CreateTime, LogAppendTime",
                    "Whether record timestamps are the producer's (CreateTime) or the broker's time of "
                            + "append (LogAppendTime). Default for message.timestamp.type." + DYNAMIC_TOPIC_DEFAULT)
            .define(LOG_CLEANUP_POLICY, LIST, List.of("delete"), 
                    Validator.oneOf("delete", "compact"), "one of delete, compact",
                    "What happens to old segments: delete (by retention), compact (keep the newest record "
                            + "per key), or both. Default for cleanup.policy." + DYNAMIC_TOPIC_DEFAULT)
            .define(LOG_SEGMENT_DELETE_DELAY_MS, LONG, 60000L, Validator.atLeast(0), "at least 0",
                    "How long a deleted segment's files linger before removal, so readers can finish. "
                            + "Default for file.delete.delay.ms." + DYNAMIC_TOPIC_DEFAULT)
            .define(LOG_CLEANER_DELETE_RETENTION_MS, LONG, 86400000L, Validator.atLeast(0), "at least 0",
                    "How long tombstones are kept in compacted topics. Default for delete.retention.ms." + DYNAMIC_TOPIC_DEFAULT)
            .define(LOG_CLEANER_ENABLE, BOOLEAN, true, Validator.ANY, "",
                    "Run the log cleaner, which compacts topics whose cleanup.policy includes compact "
                            + "(keeping the newest record of each key). Internal topics such as "
                            + "__consumer_offsets rely on it.")
            .define(LOG_CLEANER_THREADS, INT, 1, Validator.atLeast(0), "at least 0",
                    "Background threads that compact logs.")
            .define(LOG_CLEANER_DEDUPE_BUFFER_SIZE, LONG, 134217728L, Validator.atLeast(1024), "at least 1024",
                    "Memory for the cleaner threads' key to offset maps, shared among them; each thread "
                            + "takes of its share only what the largest log it cleaned needed (about 27 "
                            + "bytes per record of the dirty part). 24 bytes hold one key, so a "
                            + "cleaning pass covers at most about size / 24 * 0.9 distinct keys.")
            .define(LOG_CLEANER_IO_MAX_BYTES_PER_SECOND, DOUBLE, Double.MAX_VALUE, Validator.atLeast(1),
                    "at least 1",
                    "Cap on the bytes per second the cleaner threads read and write together, so "
                            + "compaction does not starve produce and fetch of disk bandwidth.")
            .define(LOG_CLEANER_BACKOFF_MS, LONG, 15000L, Validator.atLeast(0), "at least 0",
                    "How long an idle cleaner thread waits before looking for logs to clean again.")
            .define(LOG_CLEANER_MIN_CLEANABLE_RATIO, DOUBLE, 0.5, Validator.between(0, 1), "0 to 1",
                    "The share of a log's bytes not yet compacted at which it is compacted. Default for "
                            + "min.cleanable.dirty.ratio." + DYNAMIC_TOPIC_DEFAULT)
            .define(LOG_CLEANER_MIN_COMPACTION_LAG_MS, LONG, 0L, Validator.atLeast(0), "at least 0",
                    "How long a record stays uncompacted at least. Default for min.compaction.lag.ms." + DYNAMIC_TOPIC_DEFAULT)
            .define(LOG_CLEANER_MAX_COMPACTION_LAG_MS, LONG, Long.MAX_VALUE, Validator.atLeast(1), "at least 1",
                    "How long a record may stay uncompacted before its log is compacted whatever its "
                            + "dirty ratio (the active segment excepted). Default for max.compaction.lag.ms." + DYNAMIC_TOPIC_DEFAULT)
            .define(COMPRESSION_TYPE, STRING, "producer",
                    Validator.oneOf("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"),
                    "one of producer, uncompressed, gzip, snappy, lz4, zstd",
                    "The codec of stored batches: producer keeps what the producer sent; any other has "
                            + "producers' batches in other codecs recompressed. Default for the topic setting "
                            + "compression.type." + DYNAMIC_TOPIC_DEFAULT)
            // --- replication
            .define(MIN_INSYNC_REPLICAS, INT, 1, Validator.atLeast(1), "at least 1",
                    "The fewest in-sync replicas with which an acks=all write succeeds. Default for "
                            + "min.insync.replicas of topics." + DYNAMIC_TOPIC_DEFAULT)
            .define(UNCLEAN_LEADER_ELECTION_ENABLE, BOOLEAN, false, Validator.ANY, "",
                    "Allow a replica outside the ISR to become leader, trading lost records for "
                            + "availability." + DYNAMIC_TOPIC_DEFAULT)
            .define(AUTO_LEADER_REBALANCE_ENABLE, BOOLEAN, true, Validator.ANY, "",
                    "Let the active controller move each partition's leadership back to its preferred "
                            + "replica (the first of its replicas) when that replica is in sync and unfenced.")
            .define(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS, LONG, 300L, Validator.atLeast(1), "at least 1",
                    "How often the controller looks for leaderships to move back to preferred replicas.")
            .define(REPLICA_LAG_TIME_MAX_MS, LONG, 30000L, Validator.atLeast(1), "at least 1",
                    "A follower that has not caught up with its leader's log end for this long leaves the "
                            + "in-sync replicas; it rejoins once it has caught up.")
            .define(REPLICA_FETCH_WAIT_MAX_MS, INT, 500, Validator.atLeast(0), "at least 0",
                    "How long a follower's fetch waits at the leader for new data. Keep it below "
                            + "replica.lag.time.max.ms.")
            .define(REPLICA_FETCH_MIN_BYTES, INT, 1, Validator.atLeast(1), "at least 1",
                    "How much new data a follower's fetch waits for at the leader.")
            .define(REPLICA_FETCH_MAX_BYTES, INT, 1048576, Validator.atLeast(0), "at least 0",
                    "The most a follower fetches per partition in one request (the first batch comes "
                            + "whole even when larger).")
            .define(REPLICA_FETCH_RESPONSE_MAX_BYTES, INT, 10485760, Validator.atLeast(0), "at least 0",
                    "The most a follower fetches from one leader in one request, over all partitions.")
            .define(LEADER_REPLICATION_THROTTLED_RATE, LONG, Long.MAX_VALUE, Validator.atLeast(1), "at least 1",
                    "Bytes per second this broker sends, as leader, to followers outside the ISR of the replicas "
                            + "listed in their topic's leader.replication.throttled.replicas. Also a dynamic broker "
                            + "config: set per broker or as the cluster default, it takes effect at once.")
            .define(FOLLOWER_REPLICATION_THROTTLED_RATE, LONG, Long.MAX_VALUE, Validator.atLeast(1), "at least 1",
                    "Bytes per second this broker fetches, as a follower outside the ISR, for the replicas "
                            + "listed in their topic's follower.replication.throttled.replicas. Also a dynamic broker "
                            + "config: set per broker or as the cluster default, it takes effect at once.")
            .define(REPLICA_FETCH_BACKOFF_MS, LONG, 1000L, Validator.atLeast(0), "at least 0",
                    "How long a follower waits before fetching a partition again after an error.")
            .define(REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS, LONG, 5000L, Validator.atLeast(1), "at least 1",
                    "How often the high watermark of replicated partitions is written to disk, so that a "
                            + "restarted replica does not take records it never saw committed for committed.")
            .defineOptional(REPLICA_SELECTOR_CLASS, STRING,
                    Validator.oneOf(ReplicaSelector.KAFKA_RACK_AWARE, ReplicaSelector.KAFKA_LEADER),
                    "one of " + ReplicaSelector.KAFKA_RACK_AWARE + ", " + ReplicaSelector.KAFKA_LEADER,
                    "Where consumers read (KIP-392): with " + ReplicaSelector.KAFKA_RACK_AWARE + " a leader "
                            + "sends a consumer that gives its client.rack to an in-sync follower in that rack "
                            + "(broker.rack), which serves it up to its high watermark. Kafka's class names, "
                            + "mapped to Gregor's implementations. Unset: consumers read from leaders.")
            // --- coordinators
            .define(OFFSETS_TOPIC_NUM_PARTITIONS, INT, 50, Validator.atLeast(1), "at least 1",
                    "Partitions of the internal __consumer_offsets topic. Do not change once created.")
            .define(OFFSETS_TOPIC_REPLICATION_FACTOR, INT, 1, Validator.between(1, Short.MAX_VALUE), "1 to 32767",
                    "Replication factor of __consumer_offsets. Kafka's default is 3; Gregor's is 1 so that "
                            + "a single node works without configuration. Set 3 in a cluster.")
            .define(TRANSACTION_STATE_LOG_NUM_PARTITIONS, INT, 50, Validator.atLeast(1), "at least 1",
                    "Partitions of the internal __transaction_state topic. Do not change once created.")
            .define(TRANSACTION_STATE_LOG_REPLICATION_FACTOR, INT, 1, Validator.between(1, Short.MAX_VALUE),
                    "1 to 32767",
                    "Replication factor of __transaction_state; 1 by default, as for the offsets topic.")
            .define(TRANSACTION_STATE_LOG_MIN_ISR, INT, 2, Validator.atLeast(1), "at least 1",
                    "min.insync.replicas of __transaction_state, set when it is created: the in-sync replicas "
                            + "a transaction's state must reach before the coordinator goes on. Left unset, "
                            + "Kafka's 2 or the topic's replication factor if that is lower (so the single-node "
                            + "default works); set, it may not exceed "
                            + "transaction.state.log.replication.factor.")
            .define(TRANSACTION_VERSION, INT, 2, Validator.between(0, 2), "0 to 2",
                    "The level of the transaction.version feature this node finalizes (Kafka sets it when "
                            + "formatting, with kafka-storage format --feature). At 2, kafka-clients 4.x "
                            + "producers use transactions V2 (KIP-890: partitions added through Produce, the "
                            + "epoch bumped by every commit or abort); at 0 or 1 they use the original protocol.")
            .define(TRANSACTION_MAX_TIMEOUT_MS, INT, 900000, Validator.atLeast(1), "at least 1",
                    "The longest transaction.timeout.ms a producer may ask for; a longer one fails "
                            + "InitProducerId with INVALID_TRANSACTION_TIMEOUT.")
            .define(TRANSACTIONAL_ID_EXPIRATION_MS, INT, 604800000, Validator.atLeast(1), "at least 1",
                    "How long the transaction coordinator keeps a transactional id whose producer has "
                            + "sent nothing and has no transaction open.")
            .define(TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS, INT, 10000,
                    Validator.atLeast(1), "at least 1",
                    "How often the transaction coordinator aborts transactions open longer than their "
                            + "timeout (fencing their producer).")
            .define(TRANSACTION_REMOVE_EXPIRED_TRANSACTION_CLEANUP_INTERVAL_MS, INT, 3600000,
                    Validator.atLeast(1), "at least 1",
                    "How often the transaction coordinator forgets expired transactional ids.")
            .define(GROUP_INITIAL_REBALANCE_DELAY_MS, INT, 3000, Validator.atLeast(0), "at least 0",
                    "How long a new consumer group waits for more members before its first rebalance.")
            .define(GROUP_MIN_SESSION_TIMEOUT_MS, INT, 6000, Validator.atLeast(0), "at least 0",
                    "The smallest session timeout a group member may ask for.")
            .define(GROUP_MAX_SESSION_TIMEOUT_MS, INT, 1800000, Validator.atLeast(0), "at least 0",
                    "The largest session timeout a group member may ask for.")
            .define(GROUP_MAX_SIZE, INT, Integer.MAX_VALUE, Validator.atLeast(1), "at least 1",
                    "The most members a consumer group may have; more get GROUP_MAX_SIZE_REACHED.")
            .define(GROUP_CONSUMER_SESSION_TIMEOUT_MS, INT, 45000, Validator.atLeast(1), "at least 1",
                    "Consumer-protocol groups (group.protocol=consumer): how long a member may go without "
                            + "a heartbeat before it is removed and its partitions move.")
            .define(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, INT, 5000, Validator.atLeast(1), "at least 1",
                    "Consumer-protocol groups: how often members are told to send a heartbeat; below the "
                            + "session timeout.")
            .define(GROUP_CONSUMER_ASSIGNORS, LIST, List.of("uniform", "range"),
                    Validator.oneOf("uniform", "range"), "each of uniform, range",
                    "Consumer-protocol groups: the server-side assignors members may choose with "
                            + "group.remote.assignor; the first is the default.")
            .define(OFFSETS_RETENTION_MINUTES, INT, 10080, Validator.atLeast(1), "at least 1",
                    "How long the committed offsets of a group without members are kept after it emptied "
                            + "(or, for a group that never had members, after the commit).")
            .define(OFFSETS_RETENTION_CHECK_INTERVAL_MS, LONG, 600000L, Validator.atLeast(1), "at least 1",
                    "How often the group coordinator looks for expired offsets.")
            .define(OFFSET_METADATA_MAX_BYTES, INT, 4096, Validator.atLeast(0), "at least 0",
                    "The longest metadata string a client may commit with an offset.")
            .build();

    /**
     * Topic-level log settings and the broker keys that give their default, in order of
     * precedence (the first one set wins). This is what DescribeConfigs reports as synonyms.
     */
    public static final Map<String, List<String>> LOG_CONFIG_SYNONYMS = orderedMap(
            "segment.bytes", List.of(LOG_SEGMENT_BYTES),
            "segment.ms", List.of(LOG_ROLL_MS, LOG_ROLL_HOURS),
            "retention.ms", List.of(LOG_RETENTION_MS, LOG_RETENTION_MINUTES, LOG_RETENTION_HOURS),
            "retention.bytes", List.of(LOG_RETENTION_BYTES),
            "flush.messages", List.of(LOG_FLUSH_INTERVAL_MESSAGES),
            "flush.ms", List.of(LOG_FLUSH_INTERVAL_MS, LOG_FLUSH_SCHEDULER_INTERVAL_MS),
            "segment.index.bytes", List.of(LOG_INDEX_SIZE_MAX_BYTES),
            "index.interval.bytes", List.of(LOG_INDEX_INTERVAL_BYTES),
            "message.timestamp.type", List.of(LOG_MESSAGE_TIMESTAMP_TYPE),
            "cleanup.policy", List.of(LOG_CLEANUP_POLICY),
            "file.delete.delay.ms", List.of(LOG_SEGMENT_DELETE_DELAY_MS),
            "delete.retention.ms", List.of(LOG_CLEANER_DELETE_RETENTION_MS),
            "min.cleanable.dirty.ratio", List.of(LOG_CLEANER_MIN_CLEANABLE_RATIO),
            "min.compaction.lag.ms", List.of(LOG_CLEANER_MIN_COMPACTION_LAG_MS),
            "max.compaction.lag.ms", List.of(LOG_CLEANER_MAX_COMPACTION_LAG_MS),
            "compression.type", List.of(COMPRESSION_TYPE),
            "max.message.bytes", List.of(MESSAGE_MAX_BYTES),
            "min.insync.replicas", List.of(MIN_INSYNC_REPLICAS),
            "unclean.leader.election.enable", List.of(UNCLEAN_LEADER_ELECTION_ENABLE));

    /**
     * The keys that may also be set while brokers run, as dynamic broker configs
     * (IncrementalAlterConfigs on a BROKER resource: one broker's id, or "" for all); the metadata
     * image carries them and the brokers follow at once. Besides the replication throttles, the
     * topic defaults under the name Kafka makes dynamic ("cluster-wide" in its documentation): the
     * first synonym of each, so log.retention.ms but not log.retention.hours, as in Kafka.
     */
    private static final Set<String> DYNAMIC_KEYS = dynamicKeys();

    private static Set<String> dynamicKeys() {
        Set<String> keys = new LinkedHashSet<>(List.of(LEADER_REPLICATION_THROTTLED_RATE,
                FOLLOWER_REPLICATION_THROTTLED_RATE, MAX_CONNECTIONS_PER_IP, MAX_CONNECTIONS_PER_IP_OVERRIDES,
                MAX_CONNECTIONS, NUM_IO_THREADS));
        LOG_CONFIG_SYNONYMS.values().forEach(synonyms -> keys.add(synonyms.get(0)));
        return Collections.unmodifiableSet(keys);
    }

    /** The properties this config was parsed from, which dynamic overrides are laid over. */
    private final Map<String, String> properties;
    private final Map<String, Object> values;
    private final Set<String> explicit;
    private final List<String> warnings;
    private final List<Listener> listeners;
    private final List<Listener> advertisedListeners;
    private final Map<String, SecurityProtocol> securityProtocols;
    private final List<QuorumVoter> quorumVoters;
    private final Map<String, Integer> maxConnectionsPerIpOverrides;
    /** listener.name.LISTENER.MECHANISM.sasl.jaas.config entries: listener, then mechanism, both upper case. */
    private final Map<String, Map<String, String>> listenerJaasConfigs;
    /** listener.name.LISTENER.MECHANISM.sasl.server.callback.handler.class entries, as listenerJaasConfigs. */
    private final Map<String, Map<String, String>> listenerCallbackHandlers;
    /** listener.name.LISTENER.KEY entries (ssl.*, sasl.*, max.connections): listener (upper case), then KEY, parsed. */
    private final Map<String, Map<String, Object>> listenerOverrides;

    private BrokerConfig(Map<String, String> properties, BrokerConfigDefinitions.Parsed parsed,
                         Map<String, Map<String, String>> listenerJaasConfigs,
                         Map<String, Map<String, String>> listenerCallbackHandlers,
                         Map<String, Map<String, String>> listenerOverrides) {
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        this.values = parsed.values();
        this.explicit = parsed.explicit();
        this.securityProtocols = parseSecurityProtocolMap(list(LISTENER_SECURITY_PROTOCOL_MAP));
        this.listeners = parseListeners(LISTENERS, list(LISTENERS));
        if (listeners.isEmpty()) {
            throw new ConfigException(LISTENERS, "", "name at least one listener");
        }
        List<Listener> advertised = parseListeners(ADVERTISED_LISTENERS, list(ADVERTISED_LISTENERS));
        this.advertisedListeners = advertised.isEmpty() ? listeners : advertised;
        List<String> allWarnings = new ArrayList<>(parsed.warnings());
        this.listenerOverrides = parseListenerOverrides(listenerOverrides, allWarnings);
        checkListenerNames();
        checkSaslMechanisms();
        this.listenerJaasConfigs = knownListenersOnly(listenerJaasConfigs, "sasl.jaas.config", allWarnings);
        this.listenerCallbackHandlers = knownListenersOnly(listenerCallbackHandlers,
                "sasl.server.callback.handler.class", allWarnings);
        checkOAuthBearerValidation();
        this.warnings = List.copyOf(allWarnings);
        checkSessionTimeouts();
        checkQueuedRequestBytes();
        if (transactionStateLogMinIsr() > transactionStateLogReplicationFactor()) {
            throw new ConfigException(TRANSACTION_STATE_LOG_MIN_ISR, Integer.toString(transactionStateLogMinIsr()),
                    "exceeds " + TRANSACTION_STATE_LOG_REPLICATION_FACTOR + " (" + transactionStateLogReplicationFactor()
                            + "): no transaction could complete");
        }
        this.maxConnectionsPerIpOverrides = parseConnectionOverrides(list(MAX_CONNECTIONS_PER_IP_OVERRIDES));
        if (maxConnectionsPerIp() == 0 && maxConnectionsPerIpOverrides.isEmpty()) {
            throw new ConfigException(MAX_CONNECTIONS_PER_IP, "0",
                    "may be 0 only if " + MAX_CONNECTIONS_PER_IP_OVERRIDES + " names the addresses to admit");
        }
        this.quorumVoters = parseQuorum();
        checkBetweenNodes();
    }

    /**
     * The key and trust store settings a listener may be given while it runs
     * ({@code listener.name.LISTENER.KEY}, for one broker only, as in Kafka): certificate rotation.
     */
    private static final Set<String> DYNAMIC_LISTENER_KEYS = Set.of(SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD,
            SSL_KEYSTORE_TYPE, SSL_KEY_PASSWORD, SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_PASSWORD, SSL_TRUSTSTORE_TYPE);

    /** Whether the key may be changed as a dynamic broker config. */
    public static boolean isDynamic(String key) {
        return DYNAMIC_KEYS.contains(key) || dynamicListenerKey(key).isPresent();
    }

    /** The listener setting a {@code listener.name.LISTENER.KEY} name changes, when it may change at run time. */
    public static Optional<String> dynamicListenerKey(String key) {
        Matcher matcher = LISTENER_KEY.matcher(key.trim());
        return matcher.matches() && DYNAMIC_LISTENER_KEYS.contains(matcher.group(2))
                ? Optional.of(matcher.group(2)) : Optional.empty();
    }

    /** The settings a listener may be given at run time, by their name without the listener prefix. */
    public static ConfigDef dynamicListenerDefinitions() {
        ConfigDef dynamic = new ConfigDef();
        DEFINITIONS.keys().stream().filter(key -> DYNAMIC_LISTENER_KEYS.contains(key.name())).forEach(key ->
                dynamic.define(key.name(), key.type(), ConfigDef.NO_DEFAULT, key.validator(), Importance.MEDIUM,
                        key.doc()));
        return dynamic;
    }

    /** The dynamic broker configs with their types and validators, for the controller to check changes against. */
    public static ConfigDef dynamicDefinitions() {
        ConfigDef dynamic = new ConfigDef();
        DEFINITIONS.keys().stream().filter(key -> isDynamic(key.name())).forEach(key -> dynamic.define(key.name(),
                key.type(), ConfigDef.NO_DEFAULT, key.validator(), Importance.MEDIUM, key.doc()));
        return dynamic;
    }

    /**
     * Parses operator-supplied properties (server.properties entries with overrides applied).
     *
     * @throws ConfigException naming the key and value when a value is invalid
     */
    public static BrokerConfig parse(Map<String, String> properties) {
        // Kafka's per-listener SASL keys embed a listener and a mechanism in their names, so they
        // are picked out here rather than defined one by one.
        Map<String, String> defined = new LinkedHashMap<>();
        Map<String, Map<String, String>> jaasConfigs = new LinkedHashMap<>();
        Map<String, Map<String, String>> callbackHandlers = new LinkedHashMap<>();
        Map<String, Map<String, String>> listenerOverrides = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            Matcher jaas = LISTENER_JAAS_CONFIG.matcher(key.trim());
            Matcher callbackHandler = LISTENER_CALLBACK_HANDLER.matcher(key.trim());
            Matcher listenerKey = LISTENER_KEY.matcher(key.trim());
            if (jaas.matches()) {
                jaasConfigs.computeIfAbsent(jaas.group(1).toUpperCase(Locale.ROOT), l -> new LinkedHashMap<>())
                        .put(jaas.group(2).toUpperCase(Locale.ROOT), value);
            } else if (callbackHandler.matches()) {
                callbackHandlers.computeIfAbsent(callbackHandler.group(1).toUpperCase(Locale.ROOT),
                        l -> new LinkedHashMap<>()).put(callbackHandler.group(2).toUpperCase(Locale.ROOT), value.trim());
            } else if (listenerKey.matches()) {
                listenerOverrides.computeIfAbsent(listenerKey.group(1).toUpperCase(Locale.ROOT),
                        l -> new LinkedHashMap<>()).put(listenerKey.group(2), value);
            } else {
                defined.put(key, value);
            }
        });
        return new BrokerConfig(properties, DEFINITIONS.parse(defined), jaasConfigs, callbackHandlers,
                listenerOverrides);
    }

    /**
     * This configuration with dynamic broker configs laid over it, as Kafka resolves them: this
     * broker's own ({@code BROKER "id"}) over the cluster-wide default ({@code BROKER ""}) over
     * these properties. Within the result, synonyms keep their usual order whatever their source
     * (log.retention.ms in server.properties still wins over a dynamic log.retention.hours).
     * Keys that are not dynamic are ignored: the controller refuses them.
     *
     * @throws ConfigException naming the key and value when the combination is invalid
     */
    public BrokerConfig withDynamic(Map<String, String> clusterDefault, Map<String, String> own) {
        Map<String, String> dynamic = new LinkedHashMap<>();
        // A listener's settings are one broker's (the controller refuses them as cluster default).
        clusterDefault.forEach((key, value) -> {
            if (dynamicListenerKey(key).isEmpty()) {
                putIfDynamic(dynamic, key, value);
            }
        });
        own.forEach((key, value) -> putIfDynamic(dynamic, key, value));
        if (dynamic.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(properties);
        // A static entry under another name of an overridden key would contradict the override.
        merged.keySet().removeIf(key -> DEFINITIONS.find(key.trim())
                .filter(defined -> dynamic.containsKey(defined.name())).isPresent());
        merged.putAll(dynamic);
        return parse(merged);
    }

    private static void putIfDynamic(Map<String, String> dynamic, String key, String value) {
        if (isDynamic(key)) {
            dynamic.put(key, value);
        }
    }

    /** The zero-configuration broker: every key at its default. */
    public static BrokerConfig defaults() {
        return parse(Map.of());
    }

    /** One line per ignored entry (unknown key), for the server to log at start. */
    public List<String> warnings() {
        return warnings;
    }

    /** The typed value of any defined key (canonical name), empty for unset keys without default. */
    public Optional<Object> value(String key) {
        if (DEFINITIONS.find(key).isEmpty()) {
            throw new IllegalArgumentException("Not a broker configuration key: " + key);
        }
        return Optional.ofNullable(values.get(DEFINITIONS.find(key).get().name()));
    }

    /** Whether the operator set this key (or a synonym of it), as opposed to it being a default. */
    public boolean isExplicit(String key) {
        return DEFINITIONS.find(key).map(k -> explicit.contains(k.name())).orElse(false);
    }

    // ---------------------------------------------------------------- identity and network

    public int nodeId() {
        return (Integer) values.get(NODE_ID);
    }

    public Set<String> processRoles() {
        return Set.copyOf(list(PROCESS_ROLES));
    }

    /** The TLS settings of listeners without listener.name.LISTENER.ssl.* keys: the ssl.* keys. */
    public TlsSettings tlsSettings() {
        return tlsSettings("");
    }

    /**
     * The TLS settings of one listener: its listener.name.LISTENER.ssl.* keys, else the ssl.*
     * keys, as in Kafka. Its server side for an SSL or SASL_SSL listener; on the inter-broker and
     * controller listeners, also how this node connects to the others' (trust store, and key store
     * for a client certificate).
     */
    @SuppressWarnings("unchecked")
    public TlsSettings tlsSettings(String listenerName) {
        Map<String, Object> overrides = listenerOverrides.getOrDefault(listenerName.toUpperCase(Locale.ROOT),
                Map.of());
        Function<String, Object> setting = key -> overrides.containsKey(key) ? overrides.get(key) : values.get(key);
        Function<String, Optional<String>> password = key -> Optional.ofNullable((Password) setting.apply(key))
                .map(Password::value);
        return new TlsSettings(Optional.ofNullable((String) setting.apply(SSL_KEYSTORE_LOCATION)).map(Path::of),
                password.apply(SSL_KEYSTORE_PASSWORD), (String) setting.apply(SSL_KEYSTORE_TYPE),
                password.apply(SSL_KEY_PASSWORD),
                Optional.ofNullable((String) setting.apply(SSL_TRUSTSTORE_LOCATION)).map(Path::of),
                password.apply(SSL_TRUSTSTORE_PASSWORD), (String) setting.apply(SSL_TRUSTSTORE_TYPE),
                (String) setting.apply(SSL_CLIENT_AUTH), (List<String>) setting.apply(SSL_ENABLED_PROTOCOLS),
                !((String) setting.apply(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM)).isEmpty(),
                (Boolean) setting.apply(SSL_ALLOW_DN_CHANGES), (Boolean) setting.apply(SSL_ALLOW_SAN_CHANGES));
    }

    /** The key that sets {@code key} for the listener: its listener.name.LISTENER. form when set, for errors. */
    public String listenerKey(String listenerName, String key) {
        String listener = listenerName.toUpperCase(Locale.ROOT);
        return listenerOverrides.getOrDefault(listener, Map.of()).containsKey(key)
                ? "listener.name." + listener.toLowerCase(Locale.ROOT) + "." + key : key;
    }

    /**
     * The SASL settings of one SASL_PLAINTEXT or SASL_SSL listener: its
     * listener.name.LISTENER.sasl.enabled.mechanisms, else sasl.enabled.mechanisms, as in Kafka.
     */
    public SaslSettings saslSettings(String listenerName) {
        return new SaslSettings(saslMechanisms(listenerName), listenerJaasConfigs,
                (Integer) values.get(CONNECTION_FAILED_AUTHENTICATION_DELAY_MS),
                (Long) values.get(CONNECTIONS_MAX_REAUTH_MS), oauthBearerSettings(listenerName));
    }

    /**
     * How one listener checks OAUTHBEARER tokens: its listener.name.LISTENER.sasl.oauthbearer.* keys,
     * else the sasl.oauthbearer.* keys, as in Kafka.
     */
    @SuppressWarnings("unchecked")
    private OAuthBearerSettings oauthBearerSettings(String listenerName) {
        String listener = listenerName.toUpperCase(Locale.ROOT);
        Map<String, Object> overrides = listenerOverrides.getOrDefault(listener, Map.of());
        Function<String, Object> setting = key -> overrides.containsKey(key) ? overrides.get(key) : values.get(key);
        return new OAuthBearerSettings(
                Optional.ofNullable(listenerCallbackHandlers.getOrDefault(listener, Map.of())
                        .get(OAuthBearerSettings.MECHANISM)),
                Optional.ofNullable((String) setting.apply(SASL_OAUTHBEARER_JWKS_ENDPOINT_URL))
                        .map(String::trim).filter(url -> !url.isEmpty()),
                listenerKey(listenerName, SASL_OAUTHBEARER_JWKS_ENDPOINT_URL),
                (Long) setting.apply(SASL_OAUTHBEARER_JWKS_ENDPOINT_REFRESH_MS),
                (Long) setting.apply(SASL_OAUTHBEARER_JWKS_ENDPOINT_RETRY_BACKOFF_MS),
                (Long) setting.apply(SASL_OAUTHBEARER_JWKS_ENDPOINT_RETRY_BACKOFF_MAX_MS),
                (List<String>) setting.apply(SASL_OAUTHBEARER_EXPECTED_AUDIENCE),
                Optional.ofNullable((String) setting.apply(SASL_OAUTHBEARER_EXPECTED_ISSUER)),
                (String) setting.apply(SASL_OAUTHBEARER_SUB_CLAIM_NAME),
                (String) setting.apply(SASL_OAUTHBEARER_SCOPE_CLAIM_NAME),
                (Integer) setting.apply(SASL_OAUTHBEARER_CLOCK_SKEW_SECONDS));
    }

    @SuppressWarnings("unchecked")
    private List<String> saslMechanisms(String listenerName) {
        Object own = listenerOverrides.getOrDefault(listenerName.toUpperCase(Locale.ROOT), Map.of())
                .get(SASL_ENABLED_MECHANISMS);
        return own != null ? (List<String>) own : list(SASL_ENABLED_MECHANISMS);
    }

    /**
     * Who this broker is to the other brokers, when the inter-broker listener is SASL_PLAINTEXT or SASL_SSL in a
     * cluster: sasl.mechanism.inter.broker.protocol and the username and password options of that
     * listener's JAAS configuration for it. Empty for a PLAINTEXT inter-broker listener.
     */
    public Optional<SaslClientCredentials> interBrokerSaslCredentials() {
        String interBroker = interBrokerListenerName();
        if (!isBroker() || !clusterMode() || !securityProtocols.get(interBroker).usesSasl()) {
            return Optional.empty();
        }
        return Optional.of(interBrokerSasl());
    }

    /**
     * @throws ConfigException naming the key (never a password) when the mechanism is not one this
     *     broker offers, or the listener's JAAS configuration for it lacks username or password
     */
    private SaslClientCredentials interBrokerSasl() {
        String listener = interBrokerListenerName();
        String mechanism = (String) values.get(SASL_MECHANISM_INTER_BROKER_PROTOCOL);
        if (!INTER_BROKER_SASL_MECHANISMS.contains(mechanism)) {
            throw new ConfigException(SASL_MECHANISM_INTER_BROKER_PROTOCOL, mechanism, "the inter-broker listener "
                    + listener + " is SASL; Gregor's brokers authenticate with " + String.join(", ",
                    INTER_BROKER_SASL_MECHANISMS));
        }
        if (!saslMechanisms(listener).contains(mechanism)) {
            throw new ConfigException(SASL_MECHANISM_INTER_BROKER_PROTOCOL, mechanism, "not among "
                    + listenerKey(listener, SASL_ENABLED_MECHANISMS) + ", so the other brokers would not accept it");
        }
        String key = SaslSettings.jaasConfigKey(listener, mechanism);
        Map<String, String> options = saslSettings(listener).jaasConfig(listener, mechanism)
                .map(text -> JaasEntry.parse(key, text).options())
                .orElse(Map.of());
        String username = options.get("username");
        String password = options.get("password");
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            throw new ConfigException(key, "(hidden)", "the inter-broker listener " + listener + " authenticates "
                    + "brokers with " + mechanism + ": set this broker's own username=\"...\" password=\"...\" here");
        }
        return new SaslClientCredentials(mechanism, username, password);
    }

    /** Whether requests are checked against ACLs (authorizer.class.name is Kafka's StandardAuthorizer). */
    public boolean aclsEnforced() {
        return !((String) values.get(AUTHORIZER_CLASS_NAME)).isEmpty();
    }

    /** super.users: principals such as User:admin, which may do everything. */
    public Set<String> superUsers() {
        Set<String> users = new HashSet<>();
        for (String user : ((String) values.get(SUPER_USERS)).split(";")) {
            if (!user.isBlank()) {
                users.add(user.trim());
            }
        }
        return Set.copyOf(users);
    }

    public boolean allowEveryoneIfNoAclFound() {
        return (Boolean) values.get(ALLOW_EVERYONE_IF_NO_ACL_FOUND);
    }

    /** How the controller issues delegation tokens; disabled without a secret key. */
    public DelegationTokenSettings delegationTokenSettings() {
        Optional<TokenHmac> hmac = password(DELEGATION_TOKEN_SECRET_KEY).or(() -> password(DELEGATION_TOKEN_MASTER_KEY))
                .filter(key -> !key.isEmpty())
                .map(TokenHmac::new);
        return new DelegationTokenSettings(hmac, (Long) values.get(DELEGATION_TOKEN_MAX_LIFETIME_MS),
                (Long) values.get(DELEGATION_TOKEN_EXPIRY_TIME_MS),
                (Long) values.get(DELEGATION_TOKEN_EXPIRY_CHECK_INTERVAL_MS));
    }

    private Optional<String> password(String key) {
        return Optional.ofNullable((Password) values.get(key)).map(Password::value);
    }

    public Optional<String> brokerRack() {
        return Optional.ofNullable((String) values.get(BROKER_RACK));
    }

    /** replica.selector.class: where the leaders send consumers to read. */
    public ReplicaSelector replicaSelector() {
        return ReplicaSelector.named(Optional.ofNullable((String) values.get(REPLICA_SELECTOR_CLASS)));
    }

    /** The listeners to bind, in configuration order. */
    public List<Listener> listeners() {
        return listeners;
    }

    /** What clients are told to connect to: advertised.listeners, else the listeners. */
    public List<Listener> advertisedListeners() {
        return advertisedListeners;
    }

    public SecurityProtocol securityProtocol(String listenerName) {
        SecurityProtocol protocol = securityProtocols.get(listenerName.toUpperCase(Locale.ROOT));
        if (protocol == null) {
            throw new IllegalArgumentException("No such listener: " + listenerName);
        }
        return protocol;
    }

    /** The listener for broker-to-broker traffic. */
    public String interBrokerListenerName() {
        Optional<String> configured = Optional.ofNullable((String) values.get(INTER_BROKER_LISTENER_NAME));
        return configured.map(s -> s.toUpperCase(Locale.ROOT)).orElseGet(() -> listeners.stream()
                .map(Listener::name)
                .filter(name -> !controllerListenerNames().contains(name))
                .findFirst()
                .orElse(listeners.get(0).name()));
    }

    public List<String> controllerListenerNames() {
        return list(CONTROLLER_LISTENER_NAMES).stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
    }

    /** The voters of controller.quorum.voters; empty for a single node, which keeps its metadata alone. */
    public List<QuorumVoter> controllerQuorumVoters() {
        return quorumVoters;
    }

    /** Whether this node is part of a cluster with a Raft metadata quorum (controller.quorum.voters is set). */
    public boolean clusterMode() {
        return !quorumVoters.isEmpty();
    }

    /** Whether this node votes in the metadata quorum (process.roles includes controller). */
    public boolean isController() {
        return processRoles().contains("controller");
    }

    /** Whether this node serves clients and hosts partitions (process.roles includes broker). */
    public boolean isBroker() {
        return processRoles().contains("broker");
    }

    /**
     * The controller listener of this node: on a controller the Raft server of its voter entry;
     * on a broker-only node where it receives the committed metadata log without voting.
     */
    public Optional<Listener> controllerListener() {
        return controllerListenerName().flatMap(name -> listeners.stream().filter(l -> l.name().equals(name))
                .findFirst());
    }

    /** The listener the controller quorum uses (the first of controller.listener.names), in cluster mode. */
    public Optional<String> controllerListenerName() {
        return controllerListenerNames().stream().findFirst();
    }

    /** The listeners this node's network server binds: all but the controller's, which Raft serves. */
    public List<Listener> brokerListeners() {
        return listeners.stream().filter(l -> !controllerListenerNames().contains(l.name())).toList();
    }

    public Optional<String> configuredClusterId() {
        return Optional.ofNullable((String) values.get(CLUSTER_ID));
    }

    public int brokerSessionTimeoutMs() {
        return (Integer) values.get(BROKER_SESSION_TIMEOUT_MS);
    }

    public int brokerHeartbeatIntervalMs() {
        return (Integer) values.get(BROKER_HEARTBEAT_INTERVAL_MS);
    }

    public boolean autoLeaderRebalanceEnable() {
        return (Boolean) values.get(AUTO_LEADER_REBALANCE_ENABLE);
    }

    public long leaderImbalanceCheckIntervalMs() {
        return (Long) values.get(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS) * 1000L;
    }

    public int socketRequestMaxBytes() {
        return (Integer) values.get(SOCKET_REQUEST_MAX_BYTES);
    }

    public long connectionsMaxIdleMs() {
        return (Long) values.get(CONNECTIONS_MAX_IDLE_MS);
    }

    public int maxConnections() {
        return (Integer) values.get(MAX_CONNECTIONS);
    }

    /** listener.name.LISTENER.max.connections: the listener's own limit, unlimited unless set, as in Kafka. */
    public int maxConnections(String listenerName) {
        Object own = listenerOverrides.getOrDefault(listenerName.toUpperCase(Locale.ROOT), Map.of())
                .get(MAX_CONNECTIONS);
        return own != null ? (Integer) own : Integer.MAX_VALUE;
    }

    public int quotaWindowNum() {
        return (Integer) values.get(QUOTA_WINDOW_NUM);
    }

    public int quotaWindowSizeSeconds() {
        return (Integer) values.get(QUOTA_WINDOW_SIZE_SECONDS);
    }

    public int maxConnectionsPerIp() {
        return (Integer) values.get(MAX_CONNECTIONS_PER_IP);
    }

    /** max.connections.per.ip.overrides: the limit of each named host or address. */
    public Map<String, Integer> maxConnectionsPerIpOverrides() {
        return maxConnectionsPerIpOverrides;
    }

    /** queued.max.request.bytes, or -1 for no bound. */
    public long queuedMaxRequestBytes() {
        return (Long) values.get(QUEUED_MAX_REQUEST_BYTES);
    }

    /** SO_SNDBUF, or empty to keep the operating system's default. */
    public Optional<Integer> socketSendBufferBytes() {
        int bytes = (Integer) values.get(SOCKET_SEND_BUFFER_BYTES);
        return bytes == -1 ? Optional.empty() : Optional.of(bytes);
    }

    /** SO_RCVBUF, or empty to keep the operating system's default. */
    public Optional<Integer> socketReceiveBufferBytes() {
        int bytes = (Integer) values.get(SOCKET_RECEIVE_BUFFER_BYTES);
        return bytes == -1 ? Optional.empty() : Optional.of(bytes);
    }

    public int numNetworkThreads() {
        return (Integer) values.get(NUM_NETWORK_THREADS);
    }

    public int numIoThreads() {
        return (Integer) values.get(NUM_IO_THREADS);
    }

    public int maxIncrementalFetchSessionCacheSlots() {
        return (Integer) values.get(MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS);
    }

    public int messageMaxBytes() {
        return (Integer) values.get(MESSAGE_MAX_BYTES);
    }

    /** metrics.prometheus.listener: where to serve GET /metrics, unresolved; empty when off. */
    public Optional<InetSocketAddress> prometheusListener() {
        String hostAndPort = (String) values.get(METRICS_PROMETHEUS_LISTENER);
        if (hostAndPort.isEmpty()) {
            return Optional.empty();
        }
        int colon = hostAndPort.lastIndexOf(':');
        String host = hostAndPort.substring(0, colon);
        // an IPv6 address is written in brackets, [::1]:9404, as in a URL
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return Optional.of(InetSocketAddress.createUnresolved(host,
                Integer.parseInt(hostAndPort.substring(colon + 1))));
    }

    // ---------------------------------------------------------------- topics

    public int numPartitions() {
        return (Integer) values.get(NUM_PARTITIONS);
    }

    public short defaultReplicationFactor() {
        return ((Integer) values.get(DEFAULT_REPLICATION_FACTOR)).shortValue();
    }

    public boolean autoCreateTopicsEnable() {
        return (Boolean) values.get(AUTO_CREATE_TOPICS_ENABLE);
    }

    public boolean deleteTopicEnable() {
        return (Boolean) values.get(DELETE_TOPIC_ENABLE);
    }

    // ---------------------------------------------------------------- log storage

    /** The data directories: log.dirs, else log.dir. */
    public List<Path> logDirs() {
        List<String> dirs = list(LOG_DIRS);
        if (dirs.isEmpty()) {
            return List.of(Path.of((String) values.get(LOG_DIR)));
        }
        return dirs.stream().map(Path::of).toList();
    }

    public int logSegmentBytes() {
        return (Integer) values.get(LOG_SEGMENT_BYTES);
    }

    /** log.roll.ms, else log.roll.hours in milliseconds. */
    public long logRollMs() {
        Object ms = values.get(LOG_ROLL_MS);
        return ms != null ? (Long) ms : (Integer) values.get(LOG_ROLL_HOURS) * HOUR_MS;
    }

    /** log.retention.ms, else minutes, else hours, in milliseconds; {@link #UNLIMITED} when negative. */
    public long logRetentionMs() {
        long ms;
        if (values.get(LOG_RETENTION_MS) != null) {
            ms = (Long) values.get(LOG_RETENTION_MS);
        } else if (values.get(LOG_RETENTION_MINUTES) != null) {
            ms = (Integer) values.get(LOG_RETENTION_MINUTES) * MINUTE_MS;
        } else {
            ms = (Integer) values.get(LOG_RETENTION_HOURS) * HOUR_MS;
        }
        return ms < 0 ? UNLIMITED : ms;
    }

    /** The size limit per partition, {@link #UNLIMITED} when negative. */
    public long logRetentionBytes() {
        long bytes = (Long) values.get(LOG_RETENTION_BYTES);
        return bytes < 0 ? UNLIMITED : bytes;
    }

    public long logRetentionCheckIntervalMs() {
        return (Long) values.get(LOG_RETENTION_CHECK_INTERVAL_MS);
    }

    /** Records between forced fsyncs; {@link #NEVER} leaves flushing to the page cache. */
    public long logFlushIntervalMessages() {
        return (Long) values.get(LOG_FLUSH_INTERVAL_MESSAGES);
    }

    /** log.flush.interval.ms, else log.flush.scheduler.interval.ms; {@link #NEVER} by default. */
    public long logFlushIntervalMs() {
        Object ms = values.get(LOG_FLUSH_INTERVAL_MS);
        return ms != null ? (Long) ms : (Long) values.get(LOG_FLUSH_SCHEDULER_INTERVAL_MS);
    }

    public long producerIdExpirationMs() {
        return (Long) values.get(PRODUCER_ID_EXPIRATION_MS);
    }

    public long producerIdExpirationCheckIntervalMs() {
        return (Long) values.get(PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS);
    }

    public int numRecoveryThreadsPerDataDir() {
        return (Integer) values.get(NUM_RECOVERY_THREADS_PER_DATA_DIR);
    }

    public long logFlushSchedulerIntervalMs() {
        return (Long) values.get(LOG_FLUSH_SCHEDULER_INTERVAL_MS);
    }

    public int logIndexSizeMaxBytes() {
        return (Integer) values.get(LOG_INDEX_SIZE_MAX_BYTES);
    }

    public int logIndexIntervalBytes() {
        return (Integer) values.get(LOG_INDEX_INTERVAL_BYTES);
    }

    /** CreateTime or LogAppendTime. */
    public String logMessageTimestampType() {
        String type = (String) values.get(LOG_MESSAGE_TIMESTAMP_TYPE);
        return type.equalsIgnoreCase("LogAppendTime") ? "LogAppendTime" : "CreateTime";
    }

    public List<String> logCleanupPolicy() {
        return list(LOG_CLEANUP_POLICY).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    public long logSegmentDeleteDelayMs() {
        return (Long) values.get(LOG_SEGMENT_DELETE_DELAY_MS);
    }

    public long logCleanerDeleteRetentionMs() {
        return (Long) values.get(LOG_CLEANER_DELETE_RETENTION_MS);
    }

    /** The log cleaner's broker-wide settings (log.cleaner.*, except the topic defaults above). */
    /** The replication settings: ISR lag and the replica fetchers' requests. */
    public ReplicationConfig replicationConfig() {
        return new ReplicationConfig((Long) values.get(REPLICA_LAG_TIME_MAX_MS),
                (Integer) values.get(REPLICA_FETCH_WAIT_MAX_MS), (Integer) values.get(REPLICA_FETCH_MIN_BYTES),
                (Integer) values.get(REPLICA_FETCH_RESPONSE_MAX_BYTES), (Integer) values.get(REPLICA_FETCH_MAX_BYTES),
                (Long) values.get(REPLICA_FETCH_BACKOFF_MS),
                (Long) values.get(REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS),
                (Long) values.get(LEADER_REPLICATION_THROTTLED_RATE),
                (Long) values.get(FOLLOWER_REPLICATION_THROTTLED_RATE));
    }

    public CleanerConfig logCleanerConfig() {
        return new CleanerConfig((Boolean) values.get(LOG_CLEANER_ENABLE), (Integer) values.get(LOG_CLEANER_THREADS),
                (Long) values.get(LOG_CLEANER_DEDUPE_BUFFER_SIZE),
                (Double) values.get(LOG_CLEANER_IO_MAX_BYTES_PER_SECOND), (Long) values.get(LOG_CLEANER_BACKOFF_MS));
    }

    public String compressionType() {
        return ((String) values.get(COMPRESSION_TYPE)).toLowerCase(Locale.ROOT);
    }

    /**
     * The broker-level defaults of topic log settings, keyed by topic config name
     * ({@code retention.ms}, {@code segment.bytes}, ...) with values as text, derived keys
     * resolved (log.retention.hours becomes retention.ms). This is the base map a topic's own
     * configs are laid over.
     */
    public Map<String, String> logDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("segment.bytes", Integer.toString(logSegmentBytes()));
        defaults.put("segment.ms", Long.toString(logRollMs()));
        defaults.put("retention.ms", Long.toString(logRetentionMs()));
        defaults.put("retention.bytes", Long.toString(logRetentionBytes()));
        defaults.put("flush.messages", Long.toString(logFlushIntervalMessages()));
        defaults.put("flush.ms", Long.toString(logFlushIntervalMs()));
        defaults.put("segment.index.bytes", Integer.toString(logIndexSizeMaxBytes()));
        defaults.put("index.interval.bytes", Integer.toString(logIndexIntervalBytes()));
        defaults.put("message.timestamp.type", logMessageTimestampType());
        defaults.put("cleanup.policy", String.join(",", logCleanupPolicy()));
        defaults.put("file.delete.delay.ms", Long.toString(logSegmentDeleteDelayMs()));
        defaults.put("delete.retention.ms", Long.toString(logCleanerDeleteRetentionMs()));
        defaults.put("min.cleanable.dirty.ratio", values.get(LOG_CLEANER_MIN_CLEANABLE_RATIO).toString());
        defaults.put("min.compaction.lag.ms", values.get(LOG_CLEANER_MIN_COMPACTION_LAG_MS).toString());
        defaults.put("max.compaction.lag.ms", values.get(LOG_CLEANER_MAX_COMPACTION_LAG_MS).toString());
        defaults.put("compression.type", compressionType());
        defaults.put("max.message.bytes", Integer.toString(messageMaxBytes()));
        defaults.put("min.insync.replicas", Integer.toString(minInsyncReplicas()));
        defaults.put("unclean.leader.election.enable", Boolean.toString(uncleanLeaderElectionEnable()));
        return Collections.unmodifiableMap(defaults);
    }

    // ---------------------------------------------------------------- replication and coordinators

    public int minInsyncReplicas() {
        return (Integer) values.get(MIN_INSYNC_REPLICAS);
    }

    public boolean uncleanLeaderElectionEnable() {
        return (Boolean) values.get(UNCLEAN_LEADER_ELECTION_ENABLE);
    }

    public int offsetsTopicNumPartitions() {
        return (Integer) values.get(OFFSETS_TOPIC_NUM_PARTITIONS);
    }

    public short offsetsTopicReplicationFactor() {
        return ((Integer) values.get(OFFSETS_TOPIC_REPLICATION_FACTOR)).shortValue();
    }

    public int transactionStateLogNumPartitions() {
        return (Integer) values.get(TRANSACTION_STATE_LOG_NUM_PARTITIONS);
    }

    public short transactionStateLogReplicationFactor() {
        return ((Integer) values.get(TRANSACTION_STATE_LOG_REPLICATION_FACTOR)).shortValue();
    }

    /** transaction.state.log.min.isr; unset, Kafka's default lowered to the replication factor. */
    public int transactionStateLogMinIsr() {
        int minIsr = (Integer) values.get(TRANSACTION_STATE_LOG_MIN_ISR);
        return explicit.contains(TRANSACTION_STATE_LOG_MIN_ISR) ? minIsr
                : Math.min(minIsr, transactionStateLogReplicationFactor());
    }

    public short transactionVersion() {
        return ((Integer) values.get(TRANSACTION_VERSION)).shortValue();
    }

    public int transactionMaxTimeoutMs() {
        return (Integer) values.get(TRANSACTION_MAX_TIMEOUT_MS);
    }

    public long transactionalIdExpirationMs() {
        return (Integer) values.get(TRANSACTIONAL_ID_EXPIRATION_MS);
    }

    public long transactionAbortTimedOutIntervalMs() {
        return (Integer) values.get(TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS);
    }

    public long transactionRemoveExpiredIntervalMs() {
        return (Integer) values.get(TRANSACTION_REMOVE_EXPIRED_TRANSACTION_CLEANUP_INTERVAL_MS);
    }

    public int groupInitialRebalanceDelayMs() {
        return (Integer) values.get(GROUP_INITIAL_REBALANCE_DELAY_MS);
    }

    public int groupMinSessionTimeoutMs() {
        return (Integer) values.get(GROUP_MIN_SESSION_TIMEOUT_MS);
    }

    public int groupMaxSessionTimeoutMs() {
        return (Integer) values.get(GROUP_MAX_SESSION_TIMEOUT_MS);
    }

    public int groupMaxSize() {
        return (Integer) values.get(GROUP_MAX_SIZE);
    }

    public int groupConsumerSessionTimeoutMs() {
        return (Integer) values.get(GROUP_CONSUMER_SESSION_TIMEOUT_MS);
    }

    public int groupConsumerHeartbeatIntervalMs() {
        return (Integer) values.get(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS);
    }

    public List<String> groupConsumerAssignors() {
        return list(GROUP_CONSUMER_ASSIGNORS);
    }

    public long offsetsRetentionMs() {
        return (Integer) values.get(OFFSETS_RETENTION_MINUTES) * MINUTE_MS;
    }

    public long offsetsRetentionCheckIntervalMs() {
        return (Long) values.get(OFFSETS_RETENTION_CHECK_INTERVAL_MS);
    }

    public int offsetMetadataMaxBytes() {
        return (Integer) values.get(OFFSET_METADATA_MAX_BYTES);
    }

    @Override
    public String toString() {
        return "BrokerConfig" + values;
    }

    // ---------------------------------------------------------------- parsing helpers

    @SuppressWarnings("unchecked")
    private List<String> list(String key) {
        return (List<String>) values.get(key);
    }

    private static List<Listener> parseListeners(String key, List<String> entries) {
        List<Listener> parsed = entries.stream().map(entry -> Listener.parse(key, entry)).toList();
        Set<String> names = new HashSet<>();
        for (Listener listener : parsed) {
            if (!names.add(listener.name())) {
                throw new ConfigException(key, String.join(",", entries),
                        "listener name " + listener.name() + " appears twice");
            }
        }
        return parsed;
    }

    private static Map<String, Integer> parseConnectionOverrides(List<String> entries) {
        Map<String, Integer> overrides = new HashMap<>();
        for (String entry : entries) {
            int colon = entry.lastIndexOf(':');
            String host = colon <= 0 ? "" : entry.substring(0, colon).trim();
            int limit;
            try {
                limit = colon <= 0 ? -1 : Integer.parseInt(entry.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (host.isEmpty() || limit < 0) {
                throw new ConfigException(MAX_CONNECTIONS_PER_IP_OVERRIDES, entry,
                        "expected HOST:LIMIT with a limit of at least 0");
            }
            overrides.put(host, limit);
        }
        return Map.copyOf(overrides);
    }

    private static Map<String, SecurityProtocol> parseSecurityProtocolMap(List<String> entries) {
        Map<String, SecurityProtocol> map = new LinkedHashMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new ConfigException(LISTENER_SECURITY_PROTOCOL_MAP, entry, "expected NAME:PROTOCOL");
            }
            String protocol = entry.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
            try {
                map.put(entry.substring(0, colon).trim().toUpperCase(Locale.ROOT), SecurityProtocol.valueOf(protocol));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(LISTENER_SECURITY_PROTOCOL_MAP, entry,
                        "protocol must be one of " + Arrays.toString(SecurityProtocol.values()));
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * A SASL listener offers only mechanisms Gregor has. Kafka's default, GSSAPI, is not among
     * them, so the first SASL listener of a broker is refused until the mechanisms are named.
     */
    private void checkSaslMechanisms() {
        for (Listener listener : listeners) {
            if (!securityProtocols.get(listener.name()).usesSasl()) {
                continue;
            }
            String key = listenerKey(listener.name(), SASL_ENABLED_MECHANISMS);
            List<String> mechanisms = saslMechanisms(listener.name());
            if (mechanisms.isEmpty()) {
                throw new ConfigException(key, "", "a SASL listener needs at least one of "
                        + String.join(", ", SUPPORTED_SASL_MECHANISMS));
            }
            for (String mechanism : mechanisms) {
                if (!SUPPORTED_SASL_MECHANISMS.contains(mechanism)) {
                    throw new ConfigException(key, String.join(",", mechanisms), mechanism
                            + " is not supported; Gregor offers " + String.join(", ", SUPPORTED_SASL_MECHANISMS));
                }
            }
        }
    }

    /**
     * Parses listener.name.LISTENER.KEY entries with KEY's type and checks, errors naming the
     * entry's own key; an entry for another listener, or for a key a listener cannot set, is a
     * warning, as a typo's would be.
     */
    private Map<String, Map<String, Object>> parseListenerOverrides(Map<String, Map<String, String>> raw,
                                                                    List<String> warnings) {
        Map<String, Map<String, Object>> parsed = new LinkedHashMap<>();
        raw.forEach((listener, entries) -> entries.forEach((key, text) -> {
            String fullKey = "listener.name." + listener.toLowerCase(Locale.ROOT) + "." + key;
            if (!LISTENER_KEYS.contains(key)) {
                warnings.add("Unknown configuration key '" + fullKey + "' is ignored");
            } else if (listeners.stream().noneMatch(l -> l.name().equals(listener))) {
                warnings.add("Configuration key '" + fullKey + "' is ignored: there is no listener " + listener);
            } else {
                parsed.computeIfAbsent(listener, l -> new LinkedHashMap<>())
                        .put(key, DEFINITIONS.find(key).orElseThrow().parse(fullKey, text));
            }
        }));
        return Map.copyOf(parsed);
    }

    /**
     * The listener.name.LISTENER.MECHANISM.{@code suffix} entries of listeners this broker has; one
     * for another listener is a warning, as a typo's would be.
     */
    private Map<String, Map<String, String>> knownListenersOnly(Map<String, Map<String, String>> byListener,
                                                               String suffix, List<String> warnings) {
        Map<String, Map<String, String>> known = new LinkedHashMap<>();
        byListener.forEach((listener, byMechanism) -> {
            if (listeners.stream().anyMatch(l -> l.name().equals(listener))) {
                known.put(listener, Map.copyOf(byMechanism));
            } else {
                byMechanism.keySet().forEach(mechanism -> warnings.add("Configuration key 'listener.name."
                        + listener.toLowerCase(Locale.ROOT) + "." + mechanism.toLowerCase(Locale.ROOT)
                        + "." + suffix + "' is ignored: there is no listener " + listener));
            }
        });
        return Map.copyOf(known);
    }

    /**
     * A SASL listener offering OAUTHBEARER names, if any server callback handler, Kafka's own
     * validator, which Gregor implements rather than loads, and then has a JWKS to check tokens with.
     */
    private void checkOAuthBearerValidation() {
        for (Listener listener : listeners) {
            if (!securityProtocols.get(listener.name()).usesSasl()
                    || !saslMechanisms(listener.name()).contains(OAuthBearerSettings.MECHANISM)) {
                continue;
            }
            OAuthBearerSettings settings = oauthBearerSettings(listener.name());
            String key = OAuthBearerSettings.callbackHandlerKey(listener.name());
            settings.serverCallbackHandler().ifPresent(handler -> {
                if (!handler.equals(OAuthBearerSettings.KAFKA_VALIDATOR_CALLBACK_HANDLER)) {
                    throw new ConfigException(key, handler, "Gregor checks OAUTHBEARER tokens itself and loads no "
                            + "classes: name " + OAuthBearerSettings.KAFKA_VALIDATOR_CALLBACK_HANDLER + " (signed "
                            + "tokens, Kafka 4's name for it) or leave it unset");
                }
            });
            if (settings.serverCallbackHandler().isPresent() && settings.jwksEndpointUrl().isEmpty()) {
                throw new ConfigException(SASL_OAUTHBEARER_JWKS_ENDPOINT_URL, "", key + " asks for signed tokens: "
                        + "name the identity provider's JWKS here");
            }
        }
    }

    /**
     * Brokers reach each other over any protocol, with the inter-broker listener's credentials;
     * controllers their quorum over PLAINTEXT or SSL: it speaks Raft over gRPC, not the Kafka
     * protocol, so there is no SASL exchange to run on it.
     */
    private void checkBetweenNodes() {
        String interBroker = interBrokerListenerName();
        SecurityProtocol interBrokerProtocol = securityProtocols.get(interBroker);
        if (isBroker() && clusterMode() && interBrokerProtocol.usesSasl()) {
            interBrokerSasl();
        }
        for (String controllerListener : list(CONTROLLER_LISTENER_NAMES)) {
            SecurityProtocol protocol = securityProtocols.get(controllerListener.toUpperCase(Locale.ROOT));
            if (protocol != null && protocol.usesSasl()) {
                throw new ConfigException(CONTROLLER_LISTENER_NAMES, controllerListener, "the listener is " + protocol
                        + ", but the metadata quorum speaks Raft over gRPC, without SASL: map it to PLAINTEXT or SSL"
                        + " in " + LISTENER_SECURITY_PROTOCOL_MAP);
            }
        }
    }

    private void checkListenerNames() {
        Set<String> names = new HashSet<>();
        for (Listener listener : listeners) {
            names.add(listener.name());
            SecurityProtocol protocol = securityProtocols.get(listener.name());
            if (protocol == null) {
                throw new ConfigException(LISTENERS, listener.toString(), "listener name " + listener.name()
                        + " has no entry in " + LISTENER_SECURITY_PROTOCOL_MAP);
            }
            if (protocol.usesTls() && tlsSettings(listener.name()).keyStore().isEmpty()) {
                throw new ConfigException(SSL_KEYSTORE_LOCATION, "", "listener " + listener.name() + " is "
                        + protocol + " and needs a key store for its certificate");
            }
        }
        for (Listener listener : advertisedListeners) {
            if (!names.contains(listener.name())) {
                throw new ConfigException(ADVERTISED_LISTENERS, listener.toString(),
                        "listener name " + listener.name() + " is not in listeners");
            }
        }
        String interBroker = interBrokerListenerName();
        // A controller-only node has no broker listener; like Kafka's, it ignores the inter-broker one.
        if (isBroker() && !names.contains(interBroker)) {
            throw new ConfigException(INTER_BROKER_LISTENER_NAME, interBroker, "no listener has that name");
        }
        if (processRoles().isEmpty()) {
            throw new ConfigException(PROCESS_ROLES, "", "name at least one of broker, controller");
        }
    }

    /**
     * Checks the cluster settings together: the voters parse and name each node once, a controller
     * is one of them and listens where they say, a broker-only node is not one of them, and a
     * controller-only node has no listener but its controller listeners.
     */
    private List<QuorumVoter> parseQuorum() {
        List<String> entries = list(CONTROLLER_QUORUM_VOTERS);
        String rendered = String.join(",", entries);
        Set<String> roles = processRoles();
        if (entries.isEmpty()) {
            if (!roles.equals(Set.of("broker", "controller"))) {
                throw new ConfigException(PROCESS_ROLES, String.join(",", list(PROCESS_ROLES)),
                        "a node without " + CONTROLLER_QUORUM_VOTERS + " runs alone and must be broker,controller");
            }
            return List.of();
        }
        List<QuorumVoter> voters;
        try {
            voters = RaftQuorumSettings.parseVoters(rendered);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(CONTROLLER_QUORUM_VOTERS, rendered, e.getMessage());
        }
        Set<Integer> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (QuorumVoter voter : voters) {
            if (!ids.add(voter.id())) {
                throw new ConfigException(CONTROLLER_QUORUM_VOTERS, rendered, "node id " + voter.id()
                        + " appears more than once");
            }
            if (!addresses.add(voter.address())) {
                throw new ConfigException(CONTROLLER_QUORUM_VOTERS, rendered, "address " + voter.address()
                        + " appears more than once");
            }
        }
        String controllerListener = controllerListenerName().orElseThrow(() -> new ConfigException(
                CONTROLLER_LISTENER_NAMES, "", "a cluster node needs the name of its controller listener"));
        Listener listener = listeners.stream().filter(l -> l.name().equals(controllerListener)).findFirst()
                .orElseThrow(() -> new ConfigException(CONTROLLER_LISTENER_NAMES, controllerListener,
                        "no entry of " + LISTENERS + " has that name"));
        Optional<QuorumVoter> voter = voters.stream().filter(v -> v.id() == nodeId()).findFirst();
        if (!isController()) {
            if (voter.isPresent()) {
                throw new ConfigException(CONTROLLER_QUORUM_VOTERS, rendered, NODE_ID + "=" + nodeId()
                        + " is a voter, but this node has only the broker role");
            }
            checkBrokerListeners();
            return List.copyOf(voters);
        }
        QuorumVoter self = voter.orElseThrow(() -> new ConfigException(CONTROLLER_QUORUM_VOTERS, rendered, NODE_ID
                + "=" + nodeId() + " is not among the voters, but this node has the controller role"));
        if (listener.port() != self.port()) {
            throw new ConfigException(LISTENERS, listener.toString(), "the controller listener must use the port of "
                    + "this node's entry in " + CONTROLLER_QUORUM_VOTERS + " (" + self + ")");
        }
        if (!isBroker()) {
            // As in Kafka: a controller-only node serves nothing but the quorum and the controller.
            if (!brokerListeners().isEmpty()) {
                throw new ConfigException(LISTENERS, String.join(",", list(LISTENERS)), "a controller-only node ("
                        + PROCESS_ROLES + "=controller) listens only on its controller listeners ("
                        + CONTROLLER_LISTENER_NAMES + "=" + String.join(",", controllerListenerNames()) + ")");
            }
            return List.copyOf(voters);
        }
        checkBrokerListeners();
        return List.copyOf(voters);
    }

    private void checkBrokerListeners() {
        if (controllerListenerNames().contains(interBrokerListenerName())) {
            throw new ConfigException(INTER_BROKER_LISTENER_NAME, interBrokerListenerName(),
                    "the inter-broker listener cannot be a controller listener");
        }
        if (brokerListeners().isEmpty()) {
            throw new ConfigException(LISTENERS, String.join(",", list(LISTENERS)),
                    "a broker needs a listener that is not a controller listener");
        }
    }

    /** As Kafka: a bound below the largest request would not let that request in on its own. */
    private void checkQueuedRequestBytes() {
        long queued = queuedMaxRequestBytes();
        if (queued != -1 && queued < socketRequestMaxBytes()) {
            throw new ConfigException(QUEUED_MAX_REQUEST_BYTES, Long.toString(queued),
                    "must be -1 (no bound) or at least " + SOCKET_REQUEST_MAX_BYTES + " (" + socketRequestMaxBytes() + ")");
        }
    }

    private void checkSessionTimeouts() {
        if (groupConsumerAssignors().isEmpty()) {
            throw new ConfigException(GROUP_CONSUMER_ASSIGNORS, "", "must name at least one assignor");
        }
        if (groupConsumerHeartbeatIntervalMs() >= groupConsumerSessionTimeoutMs()) {
            throw new ConfigException(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS,
                    Integer.toString(groupConsumerHeartbeatIntervalMs()),
                    "must be below " + GROUP_CONSUMER_SESSION_TIMEOUT_MS + " (" + groupConsumerSessionTimeoutMs() + ")");
        }
        if (groupMinSessionTimeoutMs() > groupMaxSessionTimeoutMs()) {
            throw new ConfigException(GROUP_MIN_SESSION_TIMEOUT_MS, Integer.toString(groupMinSessionTimeoutMs()),
                    "must not exceed " + GROUP_MAX_SESSION_TIMEOUT_MS + " (" + groupMaxSessionTimeoutMs() + ")");
        }
    }

    private static Map<String, List<String>> orderedMap(Object... keysAndValues) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> value = (List<String>) keysAndValues[i + 1];
            map.put((String) keysAndValues[i], value);
        }
        return Collections.unmodifiableMap(map);
    }

    /** HOST:PORT with a host and a port from 1 to 65535, or empty. */
    private static void ensureHostAndPort(String key, Object value) {
        String hostAndPort = (String) value;
        if (hostAndPort.isEmpty()) {
            return;
        }
        int colon = hostAndPort.lastIndexOf(':');
        String port = colon < 0 ? "" : hostAndPort.substring(colon + 1);
        boolean valid = colon > 0 && port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1
                && Integer.parseInt(port) <= 65535;
        if (!valid) {
            throw new ConfigException(key, value, "Value must be HOST:PORT with a port from 1 to 65535 "
                    + "(e.g. 0.0.0.0:9404), or empty for none");
        }
    }

    /**
     * A cluster id in Kafka's format, a UUID as 22 characters of URL-safe base64, as
     * {@code kafka-storage.sh random-uuid} prints and Kafka's format step requires. Anything else
     * (a name, a stray space) is refused at start rather than stored in meta.properties.
     */
    private static void ensureClusterId(String key, Object value) {
        String id = (String) value;
        boolean valid = id.length() == 22 && id.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128
                || c == '-' || c == '_');
        if (!valid) {
            throw new ConfigException(key, value,
                    "Value must be a cluster id: a UUID as 22 characters of URL-safe base64, e.g. from kafka-storage.sh random-uuid");
        }
    }
}
