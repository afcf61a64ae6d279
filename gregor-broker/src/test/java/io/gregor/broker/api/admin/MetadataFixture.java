package io.gregor.broker.api.admin;

import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.meta.BrokerIdentity;
import io.gregor.metadata.control.ConfigSchema;
import io.gregor.metadata.control.ControllerSettings;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.quorum.LocalMetadataLog;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.config.ConfigType;
import io.gregor.protocol.config.Importance;
import io.gregor.protocol.config.Validator;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.wire.ApiMessage;
import io.gregor.protocol.wire.ByteBufferWriter;
import io.gregor.protocol.wire.Readable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A started controller on a temporary directory with this broker (node 1) registered, a few real
 * topic and broker configs, and helpers to call handlers as the network layer would.
 */
public final class MetadataFixture implements AutoCloseable {
    public static final BrokerIdentity IDENTITY = new BrokerIdentity(1,
            List.of(new BrokerEndpoint("PLAINTEXT", "broker-host", 9092)), Optional.of("rack-1"));

    public static final ConfigDef TOPIC_CONFIGS = new ConfigDef()
            .define("cleanup.policy", ConfigType.LIST, "delete", Validator.oneOf("delete", "compact"),
                    Importance.MEDIUM, "The retention policy of old log segments.")
            .define("retention.ms", ConfigType.LONG, 604800000L, Validator.atLeast(-1), Importance.MEDIUM,
                    "How long a log keeps a segment before deleting it.")
            .define("segment.bytes", ConfigType.INT, 1073741824, Validator.atLeast(14), Importance.MEDIUM,
                    "The segment file size of the log.");

    public static final TopicConfigCatalog CATALOG = new TopicConfigCatalog() {
        @Override
        public ConfigDef definitions() {
            return TOPIC_CONFIGS;
        }

        @Override
        public List<String> brokerSynonyms(String topicConfig) {
            return switch (topicConfig) {
                case "retention.ms" -> List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours");
                case "segment.bytes" -> List.of("log.segment.bytes");
                case "cleanup.policy" -> List.of("log.cleanup.policy");
                default -> List.of();
            };
        }

        @Override
        public Map<String, String> effectiveDefaults(MetadataImage image) {
            return Map.of("cleanup.policy", "delete", "retention.ms", "604800000", "segment.bytes", "1048576");
        }

        @Override
        public Map<String, String> ownDynamicConfigs(MetadataImage image) {
            return image.configs(ConfigResource.broker(IDENTITY.nodeId()));
        }
    };

    /** server.properties set log.segment.bytes; everything else is a default. */
    public static final BrokerConfigView BROKER_CONFIG = () -> List.of(
            entry("auto.create.topics.enable", "true", ConfigSource.DEFAULT_CONFIG, "true", ConfigType.BOOLEAN),
            entry("log.cleanup.policy", "delete", ConfigSource.DEFAULT_CONFIG, "delete", ConfigType.LIST),
            entry("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG, "168", ConfigType.INT),
            new BrokerConfigEntry("log.retention.ms", Optional.empty(), ConfigSource.DEFAULT_CONFIG, Optional.empty(),
                    ConfigType.LONG, "Retention in ms.", false, false),
            entry("log.segment.bytes", "1048576", ConfigSource.STATIC_BROKER_CONFIG, "1073741824", ConfigType.INT),
            entry("num.partitions", "1", ConfigSource.DEFAULT_CONFIG, "1", ConfigType.INT),
            new BrokerConfigEntry("ssl.keystore.password", Optional.of("secret"), ConfigSource.STATIC_BROKER_CONFIG,
                    Optional.empty(), ConfigType.PASSWORD, "Keystore password.", true, true));

    public static final ConfigDef DYNAMIC_BROKER_CONFIGS = new ConfigDef()
            .define("log.retention.ms", ConfigType.LONG, ConfigDef.NO_DEFAULT, Importance.MEDIUM, "Retention in ms.");

    private final QuorumController controller;

    public MetadataFixture(Path dataDir) {
        controller = new QuorumController("test-cluster-id", new LocalMetadataLog(dataDir),
                new ControllerSettings(1, (short) 1, new ConfigSchema(TOPIC_CONFIGS, DYNAMIC_BROKER_CONFIGS)));
        controller.start().join();
        controller.registerBroker(IDENTITY.toRegistration()).join();
    }

    public QuorumController controller() {
        return controller;
    }

    public static RequestContext context(ApiKey key, int version) {
        return new RequestContext(key.id(), (short) version, 7, "test-client", "conn-1",
                InetAddress.getLoopbackAddress(), "PLAINTEXT");
    }

    /**
     * Encodes a message at a version and decodes it again: what a client would receive. Catches
     * fields a version cannot carry (such as a null where the version has no nullable string).
     */
    @SuppressWarnings("unchecked")
    public static <T extends ApiMessage> T overTheWire(T message, int version) {
        ByteBufferWriter writer = new ByteBufferWriter();
        message.write(writer, (short) version);
        T decoded;
        try {
            decoded = (T) message.getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        decoded.read(new Readable(writer.toByteBuffer()), (short) version);
        return decoded;
    }

    @Override
    public void close() throws IOException {
        controller.close();
    }

    private static BrokerConfigEntry entry(String name, String value, ConfigSource source, String defaultValue,
                                           ConfigType type) {
        return new BrokerConfigEntry(name, Optional.of(value), source, Optional.of(defaultValue), type,
                "Documentation of " + name + ".", false, false);
    }
}
