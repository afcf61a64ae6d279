package io.gregor.broker.api.admin;

import static io.gregor.broker.api.admin.MetadataFixture.context;
import static io.gregor.broker.api.admin.MetadataFixture.overTheWire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.gregor.metadata.control.ConfigOperation;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AlterConfigsRequest;
import io.gregor.protocol.message.AlterConfigsResponse;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeConfigsRequest;
import io.gregor.protocol.message.DescribeConfigsRequest.DescribeConfigsResource;
import io.gregor.protocol.message.DescribeConfigsResponse;
import io.gregor.protocol.message.DescribeConfigsResponse.DescribeConfigsResourceResult;
import io.gregor.protocol.message.DescribeConfigsResponse.DescribeConfigsResult;
import io.gregor.protocol.message.DescribeConfigsResponse.DescribeConfigsSynonym;
import io.gregor.protocol.message.IncrementalAlterConfigsRequest;
import io.gregor.protocol.message.IncrementalAlterConfigsResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigHandlersTest {
    private static final byte TOPIC = 2;
    private static final byte BROKER = 4;

    @TempDir
    Path dataDir;
    private MetadataFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MetadataFixture(dataDir);
        fixture.controller().createTopics(List.of(CreatableTopic.of("configured", 1, (short) 1)
                .withConfigs(Map.of("retention.ms", "1000"))), false).join();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void topicConfigsShowOverridesBrokerSettingsAndDefaultsWithSynonymsAndDocs() {
        DescribeConfigsResult result = describe(4, true, true, TOPIC, "configured", null);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        DescribeConfigsResourceResult retention = config(result, "retention.ms");
        assertThat(retention.value()).isEqualTo("1000");
        assertThat(retention.configSource()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG.code());
        assertThat(retention.configType()).isEqualTo((byte) 5);
        assertThat(retention.documentation()).contains("How long");
        assertThat(retention.synonyms()).extracting(DescribeConfigsSynonym::name, DescribeConfigsSynonym::value,
                DescribeConfigsSynonym::source).containsExactly(
                tuple("retention.ms", "1000", ConfigSource.DYNAMIC_TOPIC_CONFIG.code()),
                tuple("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG.code()));
        DescribeConfigsResourceResult segment = config(result, "segment.bytes");
        assertThat(segment.value()).isEqualTo("1048576");
        assertThat(segment.configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.code());
    }

    @Test
    void everyVersionEncodesAndOnlyAskedKeysAreDescribed() {
        for (int version = 1; version <= 4; version++) {
            DescribeConfigsResult result = describe(version, version > 1, false, TOPIC, "configured",
                    new ArrayList<>(List.of("retention.ms")));
            assertThat(result.configs()).extracting(DescribeConfigsResourceResult::name).containsExactly("retention.ms");
        }
    }

    @Test
    void brokerConfigsShowStaticAndDefaultSourcesAndHideSecrets() {
        DescribeConfigsResult result = describe(4, true, false, BROKER, "1", null);

        assertThat(config(result, "num.partitions").value()).isEqualTo("1");
        assertThat(config(result, "num.partitions").configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.code());
        assertThat(config(result, "log.segment.bytes").configSource())
                .isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.code());
        assertThat(config(result, "ssl.keystore.password").value()).isNull();
        assertThat(config(result, "ssl.keystore.password").isSensitive()).isTrue();
    }

    @Test
    void dynamicBrokerOverrideWinsOverStaticConfig() {
        fixture.controller().incrementalAlterConfigs(Map.of(ConfigResource.broker(1),
                List.of(io.gregor.metadata.control.ConfigOperation.set("log.retention.ms", "5000"))), false).join();

        DescribeConfigsResourceResult retention = config(describe(4, true, false, BROKER, "1", null), "log.retention.ms");

        assertThat(retention.value()).isEqualTo("5000");
        assertThat(retention.configSource()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG.code());
    }

    @Test
    void aTopicWithoutOverrideReportsTheDynamicBrokerSettingsBeforeTheStaticAndDefaultOnes() {
        fixture.controller().createTopics(List.of(CreatableTopic.of("plain", 1, (short) 1)), false).join();
        fixture.controller().incrementalAlterConfigs(Map.of(
                ConfigResource.broker(1), List.of(ConfigOperation.set("log.retention.ms", "5000")),
                ConfigResource.clusterDefaultBroker(), List.of(ConfigOperation.set("log.retention.ms", "6000"))),
                false).join();

        DescribeConfigsResourceResult retention = config(describe(4, true, false, TOPIC, "plain", null),
                "retention.ms");

        assertThat(retention.configSource()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG.code());
        assertThat(retention.synonyms()).extracting(DescribeConfigsSynonym::name, DescribeConfigsSynonym::value,
                DescribeConfigsSynonym::source).containsExactly(
                tuple("log.retention.ms", "5000", ConfigSource.DYNAMIC_BROKER_CONFIG.code()),
                tuple("log.retention.ms", "6000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.code()),
                tuple("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG.code()));
    }

    @Test
    void unknownTopicOtherBrokerAndUnknownResourceTypeFailTheirResource() {
        assertThat(describe(4, false, false, TOPIC, "missing", null).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(describe(4, false, false, BROKER, "7", null).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(describe(4, false, false, (byte) 8, "x", null).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void incrementalAlterSetsDeletesAppendsAndSubtracts() {
        IncrementalAlterConfigsResponse response = incremental(1, List.of(
                alterable("retention.ms", 1, null),
                alterable("cleanup.policy", 2, "compact")));

        assertThat(response.responses()).singleElement().satisfies(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(r.resourceName()).isEqualTo("configured");
        });
        assertThat(fixture.controller().image().configs(ConfigResource.topic("configured")))
                .containsOnly(Map.entry("cleanup.policy", "delete,compact"));

        incremental(0, List.of(alterable("cleanup.policy", 3, "delete"), alterable("segment.bytes", 0, "100000")));
        assertThat(fixture.controller().image().configs(ConfigResource.topic("configured")))
                .containsOnly(Map.entry("cleanup.policy", "compact"), Map.entry("segment.bytes", "100000"));
    }

    @Test
    void incrementalAlterWithABadValueChangesNothing() {
        IncrementalAlterConfigsResponse response = incremental(1, List.of(
                alterable("segment.bytes", 0, "100000"), alterable("retention.ms", 0, "soon")));

        assertThat(response.responses().get(0).errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(response.responses().get(0).errorMessage()).contains("retention.ms", "soon");
        assertThat(fixture.controller().image().configs(ConfigResource.topic("configured")))
                .containsOnly(Map.entry("retention.ms", "1000"));
    }

    @Test
    void legacyAlterConfigsReplacesTheWholeSetAtEveryVersion() {
        for (int version = 0; version <= 2; version++) {
            AlterConfigsRequest request = new AlterConfigsRequest().setResources(new ArrayList<>(List.of(
                    new AlterConfigsRequest.AlterConfigsResource().setResourceType(TOPIC).setResourceName("configured")
                            .setConfigs(new ArrayList<>(List.of(new AlterConfigsRequest.AlterableConfig()
                                    .setName("segment.bytes").setValue("2000" + version)))))));
            AlterConfigsHandler handler = new AlterConfigsHandler(fixture.controller(), BrokerConfigCheck.NONE);
            AlterConfigsResponse response = overTheWire(handler.handle(context(ApiKey.ALTER_CONFIGS, version),
                    overTheWire(request, version)).join(), version);

            assertThat(response.responses()).singleElement()
                    .satisfies(r -> assertThat(r.errorCode()).isEqualTo(Errors.NONE.code()));
            assertThat(fixture.controller().image().configs(ConfigResource.topic("configured")))
                    .containsOnly(Map.entry("segment.bytes", "2000" + version));
        }
    }

    private DescribeConfigsResult describe(int version, boolean synonyms, boolean documentation, byte type,
                                           String name, List<String> keys) {
        DescribeConfigsRequest request = new DescribeConfigsRequest().setIncludeSynonyms(synonyms)
                .setIncludeDocumentation(documentation)
                .setResources(new ArrayList<>(List.of(new DescribeConfigsResource().setResourceType(type)
                        .setResourceName(name).setConfigurationKeys(keys))));
        DescribeConfigsHandler handler = new DescribeConfigsHandler(fixture.controller(), 1, MetadataFixture.CATALOG,
                MetadataFixture.BROKER_CONFIG);
        DescribeConfigsResponse response = handler.handle(context(ApiKey.DESCRIBE_CONFIGS, version),
                overTheWire(request, version)).join();
        return overTheWire(response, version).results().get(0);
    }

    private IncrementalAlterConfigsResponse incremental(int version,
                                                        List<IncrementalAlterConfigsRequest.AlterableConfig> configs) {
        IncrementalAlterConfigsRequest request = new IncrementalAlterConfigsRequest().setResources(new ArrayList<>(
                List.of(new IncrementalAlterConfigsRequest.AlterConfigsResource().setResourceType(TOPIC)
                        .setResourceName("configured").setConfigs(new ArrayList<>(configs)))));
        IncrementalAlterConfigsHandler handler = new IncrementalAlterConfigsHandler(fixture.controller(), BrokerConfigCheck.NONE);
        return overTheWire(handler.handle(context(ApiKey.INCREMENTAL_ALTER_CONFIGS, version),
                overTheWire(request, version)).join(), version);
    }

    private static IncrementalAlterConfigsRequest.AlterableConfig alterable(String name, int operation, String value) {
        return new IncrementalAlterConfigsRequest.AlterableConfig().setName(name).setConfigOperation((byte) operation)
                .setValue(value);
    }

    private static DescribeConfigsResourceResult config(DescribeConfigsResult result, String name) {
        return result.configs().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
