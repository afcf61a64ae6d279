package io.gregor.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigDefTest {
    private final ConfigDef def = new ConfigDef()
            .define("retention.ms", ConfigType.LONG, 604_800_000L, Validator.atLeast(-1), Importance.HIGH, "How long")
            .define("segment.bytes", ConfigType.INT, 1 << 30, Validator.between(14, Integer.MAX_VALUE),
                    Importance.HIGH, "Segment size")
            .define("cleanup.policy", ConfigType.LIST, "delete", Validator.oneOf("delete", "compact"),
                    Importance.MEDIUM, "Policy")
            .define("preallocate", ConfigType.BOOLEAN, false, Importance.LOW, "Preallocate")
            .define("ratio", ConfigType.DOUBLE, 0.5, Validator.between(0, 1), Importance.LOW, "Ratio")
            .define("secret", ConfigType.PASSWORD, "", Importance.LOW, "Secret")
            .define("node.id", ConfigType.INT, ConfigDef.NO_DEFAULT, Importance.HIGH, "Node id");

    @Test
    void parsesStringsToTypedValuesAndFillsDefaults() {
        ParsedConfig config = def.parse(Map.of("node.id", "3", "cleanup.policy", "compact, delete",
                "preallocate", "TRUE", "secret", "hunter2"));

        assertThat(config.getInt("node.id")).isEqualTo(3);
        assertThat(config.getLong("retention.ms")).isEqualTo(604_800_000L);
        assertThat(config.getInt("segment.bytes")).isEqualTo(1 << 30);
        assertThat(config.getList("cleanup.policy")).containsExactly("compact", "delete");
        assertThat(config.getBoolean("preallocate")).isTrue();
        assertThat(config.getDouble("ratio")).isEqualTo(0.5);
        assertThat(config.getPassword("secret").value()).isEqualTo("hunter2");
        assertThat(config.getPassword("secret")).hasToString("[hidden]");
    }

    @Test
    void invalidNumberNamesKeyValueAndType() {
        assertThatThrownBy(() -> def.parse(Map.of("node.id", "1", "retention.ms", "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value abc for configuration retention.ms: Not a number of type LONG");
    }

    @Test
    void outOfRangeValueNamesTheBound() {
        assertThatThrownBy(() -> def.parse(Map.of("node.id", "1", "segment.bytes", "10")))
                .hasMessage("Invalid value 10 for configuration segment.bytes: Value must be at least 14");
        assertThatThrownBy(() -> def.parse(Map.of("node.id", "1", "ratio", "1.5")))
                .hasMessage("Invalid value 1.5 for configuration ratio: Value must be no more than 1");
    }

    @Test
    void valueOutsideTheChoicesListsThem() {
        assertThatThrownBy(() -> def.parse(Map.of("node.id", "1", "cleanup.policy", "shred")))
                .hasMessage("Invalid value [shred] for configuration cleanup.policy: String must be one of: delete, compact");
    }

    @Test
    void badBooleanAndMissingRequiredKeyAreReported() {
        assertThatThrownBy(() -> def.parse(Map.of("node.id", "1", "preallocate", "yes")))
                .hasMessage("Invalid value yes for configuration preallocate: Expected value to be either true or false");
        assertThatThrownBy(() -> def.parse(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("node.id");
    }

    @Test
    void unknownKeysAreReturnedToTheCaller() {
        Properties properties = new Properties();
        properties.setProperty("node.id", "1");
        properties.setProperty("retention.mss", "5");

        ParsedConfig config = def.parse(properties);

        assertThat(config.unknownKeys()).containsExactly("retention.mss");
    }

    @Test
    void acceptsAlreadyTypedValues() {
        ParsedConfig config = def.parse(Map.of("node.id", 7, "retention.ms", 5, "cleanup.policy", List.of("compact")));

        assertThat(config.getInt("node.id")).isEqualTo(7);
        assertThat(config.getLong("retention.ms")).isEqualTo(5L);
        assertThat(config.getList("cleanup.policy")).containsExactly("compact");
    }

    @Test
    void invalidDefaultIsRejectedAtDefinition() {
        assertThatThrownBy(() -> new ConfigDef().define("x", ConfigType.INT, -5, Validator.atLeast(0),
                Importance.LOW, "x"))
                .hasMessage("Invalid value -5 for configuration x: Value must be at least 0");
    }
}
