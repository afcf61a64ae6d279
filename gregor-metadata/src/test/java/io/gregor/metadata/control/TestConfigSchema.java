package io.gregor.metadata.control;

import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.config.ConfigType;
import io.gregor.protocol.config.Importance;
import io.gregor.protocol.config.Validator;

/** A few real Kafka topic configs, enough to exercise validation and list operations. */
final class TestConfigSchema {
    private TestConfigSchema() {
    }

    static ConfigSchema schema() {
        ConfigDef topic = new ConfigDef()
                .define("retention.ms", ConfigType.LONG, 604800000L, Validator.atLeast(-1), Importance.MEDIUM,
                        "How long to keep records.")
                .define("cleanup.policy", ConfigType.LIST, "delete", Validator.oneOf("delete", "compact"),
                        Importance.MEDIUM, "What to do with old segments.")
                .define("max.message.bytes", ConfigType.INT, 1048588, Validator.atLeast(0), Importance.MEDIUM,
                        "Largest batch.");
        ConfigDef broker = new ConfigDef()
                .define("log.retention.ms", ConfigType.LONG, 604800000L, Importance.MEDIUM, "Default retention.");
        return new ConfigSchema(topic, broker);
    }

    static ControllerSettings settings() {
        return new ControllerSettings(1, (short) 1, schema());
    }
}
