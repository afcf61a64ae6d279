package io.gregor.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.gregor.broker.client.SaslClientCredentials;
import io.gregor.broker.replication.RackAwareReplicaSelector;
import io.gregor.broker.replication.ReplicaSelector;
import io.gregor.metadata.control.DelegationTokenSettings;
import io.gregor.metadata.token.TokenHmac;
import io.gregor.protocol.config.ConfigException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    @Test
    void zeroConfigurationIsASingleNodeOnLocalhost9092WithDataInGregorData() {
        BrokerConfig config = BrokerConfig.defaults();

        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.processRoles()).containsExactlyInAnyOrder("broker", "controller");
        assertThat(config.listeners()).containsExactly(new Listener("PLAINTEXT", "localhost", 9092));
        assertThat(config.advertisedListeners()).isEqualTo(config.listeners());
        assertThat(config.interBrokerListenerName()).isEqualTo("PLAINTEXT");
        assertThat(config.securityProtocol("plaintext")).isEqualTo(SecurityProtocol.PLAINTEXT);
        assertThat(config.logDirs()).containsExactly(Path.of("./gregor-data"));
        assertThat(config.numPartitions()).isEqualTo(1);
        assertThat(config.defaultReplicationFactor()).isEqualTo((short) 1);
        assertThat(config.autoCreateTopicsEnable()).isTrue();
        assertThat(config.deleteTopicEnable()).isTrue();
        assertThat(config.socketRequestMaxBytes()).isEqualTo(104857600);
        assertThat(config.messageMaxBytes()).isEqualTo(1048588);
        assertThat(config.numNetworkThreads()).isEqualTo(3);
        assertThat(config.numIoThreads()).isEqualTo(8);
        assertThat(config.logRetentionMs()).isEqualTo(168L * 3600 * 1000);
        assertThat(config.logRetentionBytes()).isEqualTo(BrokerConfig.UNLIMITED);
        assertThat(config.logFlushIntervalMessages()).isEqualTo(BrokerConfig.NEVER);
        assertThat(config.offsetsTopicNumPartitions()).isEqualTo(50);
        assertThat(config.brokerRack()).isEmpty();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void operatorValuesReplaceDefaults() {
        BrokerConfig config = BrokerConfig.parse(Map.of(
                "node.id", "7",
                "num.partitions", " 12 ",
                "auto.create.topics.enable", "FALSE",
                "log.dirs", "/data/a, /data/b",
                "broker.rack", "eu-west-1a"));

        assertThat(config.nodeId()).isEqualTo(7);
        assertThat(config.numPartitions()).isEqualTo(12);
        assertThat(config.autoCreateTopicsEnable()).isFalse();
        assertThat(config.logDirs()).containsExactly(Path.of("/data/a"), Path.of("/data/b"));
        assertThat(config.brokerRack()).contains("eu-west-1a");
        assertThat(config.isExplicit("num.partitions")).isTrue();
        assertThat(config.isExplicit("num.io.threads")).isFalse();
    }

    @Test
    void brokerIdIsASynonymOfNodeId() {
        assertThat(BrokerConfig.parse(Map.of("broker.id", "3")).nodeId()).isEqualTo(3);
        assertThat(BrokerConfig.parse(Map.of("broker.id", "3", "node.id", "3")).nodeId()).isEqualTo(3);
    }

    @Test
    void conflictingSynonymsAreRefusedNamingBoth() {
        assertThatThrownBy(() -> BrokerConfig.parse(new LinkedHashMap<>(Map.of("broker.id", "3", "node.id", "4"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broker.id")
                .hasMessageContaining("node.id")
                .hasMessageContaining("set only one");
    }

    @Test
    void transactionStateLogMinIsrIsKafkasTwoUnlessTheReplicationFactorIsLower() {
        assertThat(BrokerConfig.parse(Map.of()).transactionStateLogMinIsr()).isEqualTo(1);
        assertThat(BrokerConfig.parse(Map.of("transaction.state.log.replication.factor", "3"))
                .transactionStateLogMinIsr()).isEqualTo(2);
        assertThat(BrokerConfig.parse(Map.of("transaction.state.log.replication.factor", "3",
                "transaction.state.log.min.isr", "3")).transactionStateLogMinIsr()).isEqualTo(3);
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("transaction.state.log.min.isr", "2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("transaction.state.log.min.isr")
                .hasMessageContaining("transaction.state.log.replication.factor (1)");
    }

    @Test
    void aListenerMayHaveAConnectionLimitOfItsOwn() {
        BrokerConfig config = BrokerConfig.parse(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:9092,EXTERNAL://127.0.0.1:9093",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,EXTERNAL:PLAINTEXT",
                "listener.name.external.max.connections", "100"));

        assertThat(config.maxConnections("EXTERNAL")).isEqualTo(100);
        assertThat(config.maxConnections("PLAINTEXT")).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listener.name.plaintext.max.connections", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listener.name.plaintext.max.connections");
    }

    @Test
    void recoveryThreadsPerDataDirAreKafkasTwoUnlessSet() {
        assertThat(BrokerConfig.parse(Map.of()).numRecoveryThreadsPerDataDir()).isEqualTo(2);
        assertThat(BrokerConfig.parse(Map.of("num.recovery.threads.per.data.dir", "4")).numRecoveryThreadsPerDataDir())
                .isEqualTo(4);
    }

    @Test
    void logDirIsUsedWhenLogDirsIsNotSet() {
        assertThat(BrokerConfig.parse(Map.of("log.dir", "/var/gregor")).logDirs()).containsExactly(Path.of("/var/gregor"));
    }

    @Test
    void invalidNumberNamesKeyAndValue() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("num.partitions", "many")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value many for configuration num.partitions: Not a number of type INT")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("num.partitions");
    }

    @Test
    void valueOutOfRangeNamesKeyValueAndRange() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("num.partitions", "0")))
                .hasMessage("Invalid value 0 for configuration num.partitions: Value must be at least 1");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("default.replication.factor", "40000")))
                .hasMessageContaining("default.replication.factor").hasMessageContaining("40000");
    }

    @Test
    void thePrometheusEndpointIsOffByDefaultAndListensOnHostAndPort() {
        assertThat(BrokerConfig.defaults().prometheusListener()).isEmpty();
        assertThat(BrokerConfig.parse(Map.of("metrics.prometheus.listener", "0.0.0.0:9404")).prometheusListener())
                .contains(InetSocketAddress.createUnresolved("0.0.0.0", 9404));
        assertThat(BrokerConfig.parse(Map.of("metrics.prometheus.listener", "[::1]:9404")).prometheusListener())
                .contains(InetSocketAddress.createUnresolved("::1", 9404));
        for (String bad : List.of("localhost", ":9404", "localhost:", "localhost:0", "localhost:65536", "h:x")) {
            assertThatThrownBy(() -> BrokerConfig.parse(Map.of("metrics.prometheus.listener", bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("metrics.prometheus.listener")
                    .hasMessageContaining(bad);
        }
    }

    @Test
    void clusterIdMustBeAKafkaClusterId() {
        String id = io.gregor.metadata.quorum.MetaProperties.randomClusterId();
        assertThat(BrokerConfig.parse(Map.of("cluster.id", id)).configuredClusterId()).contains(id);

        for (String bad : List.of("my-cluster", id.substring(1), id.substring(2) + "+/", id.substring(1) + "é")) {
            assertThatThrownBy(() -> BrokerConfig.parse(Map.of("cluster.id", bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("Invalid value " + bad + " for configuration cluster.id: ")
                    .hasMessageContaining("22 characters of URL-safe base64");
        }
    }

    @Test
    void replicaSelectorClassTakesKafkasSelectorNamesAndDefaultsToTheLeader() {
        assertThat(BrokerConfig.defaults().replicaSelector()).isSameAs(ReplicaSelector.LEADER);
        assertThat(BrokerConfig.parse(Map.of("replica.selector.class",
                "org.apache.kafka.common.replica.RackAwareReplicaSelector")).replicaSelector())
                .isInstanceOf(RackAwareReplicaSelector.class);
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("replica.selector.class", "com.example.Nearest")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("replica.selector.class").hasMessageContaining("com.example.Nearest");
    }

    @Test
    void socketBufferSizesAreMinusOneOrPositive() {
        assertThat(BrokerConfig.parse(Map.of()).socketSendBufferBytes()).contains(102400);
        assertThat(BrokerConfig.parse(Map.of("socket.receive.buffer.bytes", "-1")).socketReceiveBufferBytes()).isEmpty();
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("socket.send.buffer.bytes", "0")))
                .hasMessage("Invalid value 0 for configuration socket.send.buffer.bytes: "
                        + "Value must be -1 (the operating system's default) or at least 1");
    }

    @Test
    void queuedRequestBytesIsUnboundedOrAtLeastTheLargestRequest() {
        assertThat(BrokerConfig.parse(Map.of()).queuedMaxRequestBytes()).isEqualTo(-1);
        assertThat(BrokerConfig.parse(Map.of("socket.request.max.bytes", "1048576",
                "queued.max.request.bytes", "1048576")).queuedMaxRequestBytes()).isEqualTo(1_048_576);
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("queued.max.request.bytes", "1000000")))
                .hasMessage("Invalid value 1000000 for configuration queued.max.request.bytes: "
                        + "must be -1 (no bound) or at least socket.request.max.bytes (104857600)");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("queued.max.request.bytes", "0")))
                .hasMessageContaining("queued.max.request.bytes");
    }

    @Test
    void connectionLimitsPerAddressTakeOverridesByHost() {
        BrokerConfig config = BrokerConfig.parse(Map.of("max.connections.per.ip", "10",
                "max.connections.per.ip.overrides", "host1:100, 127.0.0.1:0"));

        assertThat(config.maxConnectionsPerIp()).isEqualTo(10);
        assertThat(config.maxConnectionsPerIpOverrides()).containsOnly(entry("host1", 100), entry("127.0.0.1", 0));
        assertThat(BrokerConfig.parse(Map.of()).maxConnectionsPerIp()).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("max.connections.per.ip.overrides", "host1=100")))
                .hasMessageContaining("max.connections.per.ip.overrides").hasMessageContaining("host1=100")
                .hasMessageContaining("HOST:LIMIT");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("max.connections.per.ip", "0")))
                .hasMessageContaining("max.connections.per.ip").hasMessageContaining("only if");
    }

    @Test
    void invalidBooleanAndChoiceNameKeyAndValue() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("delete.topic.enable", "yes")))
                .hasMessage("Invalid value yes for configuration delete.topic.enable: "
                        + "Expected value to be either true or false");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("log.cleanup.policy", "delete,shred")))
                .hasMessageContaining("log.cleanup.policy").hasMessageContaining("shred");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("log.message.timestamp.type", "Now")))
                .hasMessageContaining("Now").hasMessageContaining("CreateTime, LogAppendTime");
    }

    @Test
    void unknownKeysBecomeWarningsWithASuggestionForTypos() {
        BrokerConfig config = BrokerConfig.parse(Map.of("num.partition", "3"));

        assertThat(config.numPartitions()).isEqualTo(1);
        assertThat(config.warnings()).containsExactly(
                "Unknown configuration key 'num.partition' is ignored (did you mean 'num.partitions'?)");
        assertThat(BrokerConfig.parse(Map.of("zookeeper.connect", "zk:2181")).warnings())
                .containsExactly("Unknown configuration key 'zookeeper.connect' is ignored");
    }

    @Test
    void listenersAreParsedIntoNameHostPort() {
        BrokerConfig config = BrokerConfig.parse(Map.of(
                "listeners", "plaintext://127.0.0.1:0, INTERNAL://:9093,EXTERNAL://[::1]:9094",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT"));

        assertThat(config.listeners()).containsExactly(
                new Listener("PLAINTEXT", "127.0.0.1", 0),
                new Listener("INTERNAL", "", 9093),
                new Listener("EXTERNAL", "::1", 9094));
        assertThat(config.securityProtocol("EXTERNAL")).isEqualTo(SecurityProtocol.PLAINTEXT);
        assertThat(config.listeners().get(2)).hasToString("EXTERNAL://[::1]:9094");
    }

    @Test
    void malformedListenerNamesKeyAndEntry() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "localhost:9092")))
                .hasMessage("Invalid value localhost:9092 for configuration listeners: "
                        + "expected NAME://host:port, e.g. PLAINTEXT://localhost:9092");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://localhost:70000")))
                .hasMessageContaining("port must be between 0 and 65535");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "A://h:1,a://h:2",
                "listener.security.protocol.map", "A:PLAINTEXT")))
                .hasMessageContaining("appears twice");
    }

    @Test
    void aSaslListenerNeedsMechanismsGregorHas() {
        // Kafka's default mechanism is GSSAPI (Kerberos), which Gregor does not offer
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://:9092,EXTERNAL://:9093",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,EXTERNAL:SASL_PLAINTEXT")))
                .hasMessage("Invalid value GSSAPI for configuration sasl.enabled.mechanisms: GSSAPI is not "
                        + "supported; Gregor offers PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "SASL_SSL://:9093",
                "sasl.enabled.mechanisms", "PLAIN")))
                .hasMessageContaining("ssl.keystore.location")
                .hasMessageContaining("listener SASL_SSL is SASL_SSL and needs a key store");
        // without a SASL listener the mechanisms are not looked at
        assertThat(BrokerConfig.defaults().saslSettings("PLAINTEXT").enabledMechanisms()).containsExactly("GSSAPI");
    }

    @Test
    void aListenerMayOfferMechanismsOfItsOwn() {
        Map<String, String> settings = new HashMap<>(Map.of(
                "listeners", "SASL_PLAINTEXT://:9092,SASL_SSL://:9093",
                "ssl.keystore.location", "/etc/gregor/broker.p12",
                "sasl.enabled.mechanisms", "SCRAM-SHA-512",
                "listener.name.sasl_plaintext.sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", "PlainLoginModule required user_a=\"b\";"));
        BrokerConfig config = BrokerConfig.parse(settings);
        assertThat(config.saslSettings("SASL_PLAINTEXT").enabledMechanisms()).containsExactly("PLAIN");
        assertThat(config.saslSettings("SASL_SSL").enabledMechanisms()).containsExactly("SCRAM-SHA-512");
        assertThat(config.warnings()).isEmpty();

        settings.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", "PLAIN,GSSAPI");
        assertThatThrownBy(() -> BrokerConfig.parse(settings))
                .hasMessage("Invalid value PLAIN,GSSAPI for configuration listener.name.sasl_ssl.sasl.enabled.mechanisms: "
                        + "GSSAPI is not supported; Gregor offers PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER");
    }

    @Test
    void oauthBearerTakesKafkasValidatorSettingsPerListener() {
        Map<String, String> settings = new HashMap<>(Map.of(
                "listeners", "SASL_PLAINTEXT://:9092,INTERNAL://:9093",
                "listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "OAUTHBEARER",
                "listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler",
                "sasl.oauthbearer.jwks.endpoint.url", "https://idp.example/jwks",
                "sasl.oauthbearer.expected.audience", "kafka,billing",
                "listener.name.internal.sasl.oauthbearer.expected.issuer", "https://idp.example"));
        BrokerConfig config = BrokerConfig.parse(settings);
        assertThat(config.warnings()).isEmpty();
        OAuthBearerSettings external = config.saslSettings("SASL_PLAINTEXT").oauthBearer();
        assertThat(external.signedTokens()).isTrue();
        assertThat(external.jwksEndpointUrl()).contains("https://idp.example/jwks");
        assertThat(external.expectedAudience()).containsExactly("kafka", "billing");
        assertThat(external.expectedIssuer()).isEmpty();
        assertThat(external.clockSkewSeconds()).isEqualTo(30);
        OAuthBearerSettings internal = config.saslSettings("INTERNAL").oauthBearer();
        assertThat(internal.serverCallbackHandler()).isEmpty();
        assertThat(internal.signedTokens()).as("a JWKS is named, so tokens must be signed").isTrue();
        assertThat(internal.expectedIssuer()).contains("https://idp.example");

        settings.remove("sasl.oauthbearer.jwks.endpoint.url");
        assertThatThrownBy(() -> BrokerConfig.parse(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sasl.oauthbearer.jwks.endpoint.url")
                .hasMessageContaining("listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class");
        settings.put("listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class",
                "com.example.MyValidator");
        assertThatThrownBy(() -> BrokerConfig.parse(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("com.example.MyValidator")
                .hasMessageContaining("listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class");
        settings.remove("listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class");
        assertThat(BrokerConfig.parse(settings).saslSettings("SASL_PLAINTEXT").oauthBearer().signedTokens())
                .as("Kafka's default: unsecured tokens").isFalse();
    }

    @Test
    void listenerJaasConfigsArePickedOutByListenerAndMechanism() {
        BrokerConfig config = BrokerConfig.parse(Map.of(
                "listeners", "PLAINTEXT://:9092,SASL_PLAINTEXT://:9093",
                "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", "PlainLoginModule required user_a=\"b\";",
                "listener.name.other.plain.sasl.jaas.config", "PlainLoginModule required;",
                "connection.failed.authentication.delay.ms", "250"));
        SaslSettings sasl = config.saslSettings("SASL_PLAINTEXT");
        assertThat(sasl.enabledMechanisms()).containsExactly("PLAIN", "SCRAM-SHA-512");
        assertThat(sasl.jaasConfig("SASL_PLAINTEXT", "PLAIN")).contains("PlainLoginModule required user_a=\"b\";");
        assertThat(sasl.jaasConfig("SASL_PLAINTEXT", "SCRAM-SHA-512")).isEmpty();
        assertThat(sasl.failedAuthenticationDelayMs()).isEqualTo(250);
        assertThat(config.warnings()).containsExactly("Configuration key 'listener.name.other.plain.sasl.jaas.config' "
                + "is ignored: there is no listener OTHER");
    }

    @Test
    void anSslListenerNeedsAKeyStore() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "SSL://localhost:9093")))
                .hasMessage("Invalid value  for configuration ssl.keystore.location: "
                        + "listener SSL is SSL and needs a key store for its certificate");
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "SSL://localhost:9093",
                "ssl.keystore.location", "/etc/gregor/broker.p12", "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", "secret", "ssl.client.auth", "required"));
        assertThat(config.tlsSettings().keyStore()).contains(Path.of("/etc/gregor/broker.p12"));
        assertThat(config.tlsSettings().keyStorePassword()).contains("secret");
        assertThat(config.tlsSettings().clientAuth()).isEqualTo("required");
        assertThat(config.tlsSettings().enabledProtocols()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("ssl.client.auth", "sometimes")))
                .hasMessageContaining("ssl.client.auth");
    }

    @Test
    void brokersTalkOverTlsListenersAndTheQuorumOverPlaintextOrSsl() {
        Map<String, String> settings = new HashMap<>(Map.of("node.id", "1",
                "process.roles", "broker,controller",
                "listeners", "SSL://127.0.0.1:9093,CONTROLLER://127.0.0.1:9094",
                "listener.security.protocol.map", "SSL:SSL,CONTROLLER:SSL",
                "controller.listener.names", "CONTROLLER",
                "controller.quorum.voters", "1@127.0.0.1:9094",
                "ssl.keystore.location", "/etc/gregor/broker.p12"));
        BrokerConfig config = BrokerConfig.parse(settings);
        assertThat(config.securityProtocol(config.interBrokerListenerName())).isEqualTo(SecurityProtocol.SSL);
        assertThat(config.tlsSettings("CONTROLLER").verifyHostname()).isTrue();

        settings.put("listener.security.protocol.map", "SSL:SSL,CONTROLLER:SASL_SSL");
        settings.put("sasl.enabled.mechanisms", "PLAIN");
        assertThatThrownBy(() -> BrokerConfig.parse(settings))
                .hasMessage("Invalid value CONTROLLER for configuration controller.listener.names: the listener is "
                        + "SASL_SSL, but the metadata quorum speaks Raft over gRPC, without SASL: map it to PLAINTEXT "
                        + "or SSL in listener.security.protocol.map");
    }

    @Test
    void hostNameChecksAreHttpsOrOff() {
        assertThat(BrokerConfig.parse(Map.of("ssl.endpoint.identification.algorithm", "")).tlsSettings()
                .verifyHostname()).isFalse();
        assertThat(BrokerConfig.parse(Map.of("ssl.endpoint.identification.algorithm", "HTTPS")).tlsSettings()
                .verifyHostname()).isTrue();
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("ssl.endpoint.identification.algorithm", "ldaps")))
                .hasMessage("Invalid value ldaps for configuration ssl.endpoint.identification.algorithm: "
                        + "String must be one of: https, ");
    }

    @Test
    void aListenersOwnSslKeysWinOverTheSslKeys() {
        BrokerConfig config = BrokerConfig.parse(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:9092,SSL://127.0.0.1:9093,INTERNAL://127.0.0.1:9094",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,INTERNAL:SSL",
                "ssl.keystore.location", "/etc/gregor/public.p12",
                "ssl.keystore.password", "public-secret",
                "listener.name.internal.ssl.keystore.location", "/etc/gregor/internal.p12",
                "listener.name.internal.ssl.keystore.password", "internal-secret",
                "listener.name.internal.ssl.client.auth", "required",
                "listener.name.internal.ssl.endpoint.identification.algorithm", "",
                "listener.name.other.ssl.client.auth", "required",
                "listener.name.internal.ssl.keystore.locaton", "/typo"));
        TlsSettings internal = config.tlsSettings("INTERNAL");
        assertThat(internal.keyStore()).contains(Path.of("/etc/gregor/internal.p12"));
        assertThat(internal.keyStorePassword()).contains("internal-secret");
        assertThat(internal.clientAuth()).isEqualTo("required");
        assertThat(internal.verifyHostname()).isFalse();
        TlsSettings ssl = config.tlsSettings("ssl");
        assertThat(ssl.keyStore()).contains(Path.of("/etc/gregor/public.p12"));
        assertThat(ssl.keyStorePassword()).contains("public-secret");
        assertThat(ssl.clientAuth()).isEqualTo("none");
        assertThat(ssl.verifyHostname()).isTrue();
        assertThat(config.listenerKey("INTERNAL", "ssl.keystore.location"))
                .isEqualTo("listener.name.internal.ssl.keystore.location");
        assertThat(config.listenerKey("SSL", "ssl.keystore.location")).isEqualTo("ssl.keystore.location");
        assertThat(config.warnings()).containsExactlyInAnyOrder(
                "Configuration key 'listener.name.other.ssl.client.auth' is ignored: there is no listener OTHER",
                "Unknown configuration key 'listener.name.internal.ssl.keystore.locaton' is ignored");

        assertThatThrownBy(() -> BrokerConfig.parse(Map.of(
                "listeners", "INTERNAL://127.0.0.1:9094", "listener.security.protocol.map", "INTERNAL:SSL",
                "ssl.keystore.location", "/etc/gregor/public.p12",
                "listener.name.internal.ssl.client.auth", "sometimes")))
                .hasMessage("Invalid value sometimes for configuration listener.name.internal.ssl.client.auth: "
                        + "String must be one of: required, requested, none");
        // a listener's own key store is enough for it
        assertThat(BrokerConfig.parse(Map.of("listeners", "INTERNAL://127.0.0.1:9094",
                "listener.security.protocol.map", "INTERNAL:SSL",
                "listener.name.internal.ssl.keystore.location", "/etc/gregor/internal.p12")).listeners()).hasSize(1);
    }

    @Test
    void aSaslPlaintextInterBrokerListenerNamesTheBrokersOwnUser() {
        Map<String, String> settings = new HashMap<>(Map.of("node.id", "1",
                "process.roles", "broker,controller",
                "listeners", "SASL_PLAINTEXT://127.0.0.1:9093,CONTROLLER://127.0.0.1:9094",
                "controller.listener.names", "CONTROLLER",
                "controller.quorum.voters", "1@127.0.0.1:9094",
                "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512",
                "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", "PlainLoginModule required "
                        + "username=\"broker\" password=\"broker-secret\" user_broker=\"broker-secret\";"));
        assertThat(BrokerConfig.parse(settings).interBrokerSaslCredentials())
                .contains(new SaslClientCredentials("PLAIN", "broker", "broker-secret"));

        settings.put("sasl.mechanism.inter.broker.protocol", "GSSAPI");
        assertThatThrownBy(() -> BrokerConfig.parse(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sasl.mechanism.inter.broker.protocol");
        settings.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-256");
        assertThatThrownBy(() -> BrokerConfig.parse(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sasl.mechanism.inter.broker.protocol").hasMessageContaining("not among");
        settings.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        assertThatThrownBy(() -> BrokerConfig.parse(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config");
        settings.put("sasl.enabled.mechanisms", "PLAIN,OAUTHBEARER");
        settings.put("sasl.mechanism.inter.broker.protocol", "OAUTHBEARER");
        assertThatThrownBy(() -> BrokerConfig.parse(settings)).isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value OAUTHBEARER for configuration sasl.mechanism.inter.broker.protocol: the "
                        + "inter-broker listener SASL_PLAINTEXT is SASL; Gregor's brokers authenticate with PLAIN, "
                        + "SCRAM-SHA-256, SCRAM-SHA-512");
        settings.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        settings.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "PlainLoginModule required username=\"broker\" user_broker=\"broker-secret\";");
        assertThatThrownBy(() -> BrokerConfig.parse(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("listener.name.sasl_plaintext.plain.sasl.jaas.config")
                .hasMessageNotContaining("broker-secret");
    }

    @Test
    void aPlaintextInterBrokerListenerNeedsNoCredentials() {
        assertThat(BrokerConfig.defaults().interBrokerSaslCredentials()).isEmpty();
    }

    @Test
    void listenerWithoutSecurityProtocolIsRefused() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "CLIENTS://localhost:9092")))
                .hasMessageContaining("listeners").hasMessageContaining("CLIENTS")
                .hasMessageContaining("listener.security.protocol.map");
    }

    @Test
    void delegationTokensNeedASecretKeyUnderEitherOfKafkasNames() {
        DelegationTokenSettings defaults = BrokerConfig.parse(Map.of()).delegationTokenSettings();
        assertThat(defaults.enabled()).isFalse();
        assertThat(defaults.maxLifetimeMs()).isEqualTo(7L * 24 * 3600 * 1000);
        assertThat(defaults.renewLifetimeMs()).isEqualTo(24L * 3600 * 1000);
        assertThat(defaults.expiryCheckIntervalMs()).isEqualTo(3600L * 1000);

        TokenHmac secret = new TokenHmac("s3cret");
        assertThat(BrokerConfig.parse(Map.of("delegation.token.secret.key", "s3cret")).delegationTokenSettings()
                .hmac().orElseThrow().of("token")).isEqualTo(secret.of("token"));
        assertThat(BrokerConfig.parse(Map.of("delegation.token.master.key", "s3cret",
                "delegation.token.max.lifetime.ms", "1000")).delegationTokenSettings())
                .satisfies(settings -> assertThat(settings.hmac().orElseThrow().of("token")).isEqualTo(secret.of("token")))
                .satisfies(settings -> assertThat(settings.maxLifetimeMs()).isEqualTo(1000));
        assertThat(BrokerConfig.parse(Map.of("delegation.token.secret.key", "s3cret",
                "delegation.token.master.key", "older")).delegationTokenSettings().hmac().orElseThrow().of("token"))
                .as("the current name wins").isEqualTo(secret.of("token"));

        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("delegation.token.expiry.time.ms", "0")))
                .hasMessageContaining("delegation.token.expiry.time.ms").hasMessageContaining("0");
    }

    @Test
    void advertisedListenersMustNameConfiguredListeners() {
        BrokerConfig config = BrokerConfig.parse(Map.of(
                "listeners", "PLAINTEXT://0.0.0.0:9092",
                "advertised.listeners", "PLAINTEXT://broker1.example.com:9092"));
        assertThat(config.advertisedListeners()).containsExactly(new Listener("PLAINTEXT", "broker1.example.com", 9092));

        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("advertised.listeners", "SSL://host:9093")))
                .hasMessageContaining("advertised.listeners").hasMessageContaining("SSL://host:9093");
    }

    @Test
    void retentionMillisecondsTakePrecedenceOverMinutesOverHours() {
        assertThat(BrokerConfig.parse(Map.of("log.retention.hours", "1")).logRetentionMs()).isEqualTo(3_600_000L);
        assertThat(BrokerConfig.parse(Map.of("log.retention.hours", "1", "log.retention.minutes", "2"))
                .logRetentionMs()).isEqualTo(120_000L);
        assertThat(BrokerConfig.parse(Map.of("log.retention.minutes", "2", "log.retention.ms", "5"))
                .logRetentionMs()).isEqualTo(5L);
        assertThat(BrokerConfig.parse(Map.of("log.retention.hours", "-1")).logRetentionMs())
                .isEqualTo(BrokerConfig.UNLIMITED);
    }

    @Test
    void logDefaultsAreKeyedByTopicConfigNameWithDerivedValuesResolved() {
        Map<String, String> defaults = BrokerConfig.parse(Map.of(
                "log.retention.hours", "2",
                "log.roll.hours", "1",
                "log.segment.bytes", "1048576",
                "log.cleanup.policy", "compact,delete")).logDefaults();

        assertThat(defaults)
                .containsEntry("retention.ms", "7200000")
                .containsEntry("segment.ms", "3600000")
                .containsEntry("segment.bytes", "1048576")
                .containsEntry("cleanup.policy", "compact,delete")
                .containsEntry("retention.bytes", "-1")
                .containsEntry("flush.messages", Long.toString(Long.MAX_VALUE))
                .containsEntry("max.message.bytes", "1048588")
                .containsEntry("message.timestamp.type", "CreateTime");
        assertThat(defaults.keySet()).isEqualTo(BrokerConfig.LOG_CONFIG_SYNONYMS.keySet());
    }

    @Test
    void everyKeyIsDocumentedAndEverySynonymIsAKey() {
        assertThat(BrokerConfig.DEFINITIONS.keys()).allSatisfy(key -> assertThat(key.doc()).isNotBlank());
        assertThat(BrokerConfig.LOG_CONFIG_SYNONYMS.values().stream().flatMap(List::stream))
                .allSatisfy(brokerKey -> assertThat(BrokerConfig.DEFINITIONS.find(brokerKey)).isPresent());
    }

    @Test
    void minimumSessionTimeoutAboveMaximumIsRefused() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("group.min.session.timeout.ms", "2000000")))
                .hasMessageContaining("group.min.session.timeout.ms").hasMessageContaining("2000000");
    }

    @Test
    void consumerGroupSettingsAreCheckedAtStart() {
        BrokerConfig defaults = BrokerConfig.parse(Map.of());
        assertThat(defaults.groupConsumerAssignors()).containsExactly("uniform", "range");
        assertThat(defaults.groupConsumerSessionTimeoutMs()).isEqualTo(45000);
        assertThat(defaults.groupConsumerHeartbeatIntervalMs()).isEqualTo(5000);

        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("group.consumer.heartbeat.interval.ms", "45000")))
                .hasMessageContaining("group.consumer.heartbeat.interval.ms");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("group.consumer.assignors", "sticky")))
                .hasMessageContaining("group.consumer.assignors");
    }

    private static Map<String, String> clusterNode(int nodeId, String voters) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("node.id", Integer.toString(nodeId));
        props.put("process.roles", "broker,controller");
        props.put("controller.quorum.voters", voters);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + (9092 + nodeId * 10) + ",CONTROLLER://127.0.0.1:" + (9093 + nodeId * 10));
        props.put("controller.listener.names", "CONTROLLER");
        return props;
    }

    @Test
    void clusterNodeBindsItsBrokerListenersAndLeavesTheControllerListenerToRaft() {
        BrokerConfig config = BrokerConfig.parse(clusterNode(1, "1@127.0.0.1:9103,2@127.0.0.1:9113,3@127.0.0.1:9123"));

        assertThat(config.clusterMode()).isTrue();
        assertThat(config.controllerQuorumVoters()).extracting(v -> v.id()).containsExactly(1, 2, 3);
        assertThat(config.brokerListeners()).extracting(Listener::name).containsExactly("PLAINTEXT");
        assertThat(config.interBrokerListenerName()).isEqualTo("PLAINTEXT");
        assertThat(config.controllerListenerName()).contains("CONTROLLER");
    }

    @Test
    void withoutVotersANodeIsTheSingleNodeItAlwaysWas() {
        assertThat(BrokerConfig.defaults().clusterMode()).isFalse();
        assertThat(BrokerConfig.defaults().brokerListeners()).extracting(Listener::name).containsExactly("PLAINTEXT");
    }

    @Test
    void duplicateVoterIdIsRefusedNamingKeyAndValue() {
        assertThatThrownBy(() -> BrokerConfig.parse(clusterNode(1, "1@127.0.0.1:9103,1@127.0.0.1:9113")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("controller.quorum.voters").hasMessageContaining("1@127.0.0.1:9103,1@127.0.0.1:9113")
                .hasMessageContaining("node id 1 appears more than once");
    }

    @Test
    void controllerOutsideTheVotersIsRefused() {
        assertThatThrownBy(() -> BrokerConfig.parse(clusterNode(4, "1@127.0.0.1:9103,2@127.0.0.1:9113")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("controller.quorum.voters").hasMessageContaining("node.id=4 is not among the voters");
    }

    @Test
    void malformedVotersAndAControllerListenerOnAnotherPortAreRefused() {
        assertThatThrownBy(() -> BrokerConfig.parse(clusterNode(1, "1@127.0.0.1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("controller.quorum.voters")
                .hasMessageContaining("1@127.0.0.1");
        assertThatThrownBy(() -> BrokerConfig.parse(clusterNode(1, "1@127.0.0.1:9999")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CONTROLLER://127.0.0.1:9103")
                .hasMessageContaining("1@127.0.0.1:9999");
        Map<String, String> noControllerListener = clusterNode(1, "1@127.0.0.1:9103");
        noControllerListener.remove("controller.listener.names");
        assertThatThrownBy(() -> BrokerConfig.parse(noControllerListener))
                .isInstanceOf(ConfigException.class).hasMessageContaining("controller.listener.names");
    }

    @Test
    void aBrokerOnlyNodeIsNotAVoterAndFollowsTheLogOnItsControllerListener() {
        Map<String, String> brokerOnly = clusterNode(4, "1@127.0.0.1:9103,2@127.0.0.1:9113");
        brokerOnly.put("process.roles", "broker");
        BrokerConfig config = BrokerConfig.parse(brokerOnly);
        assertThat(config.isController()).isFalse();
        assertThat(config.controllerListener()).map(Listener::port).contains(9133);

        Map<String, String> voterWithoutController = clusterNode(1, "1@127.0.0.1:9103");
        voterWithoutController.put("process.roles", "broker");
        assertThatThrownBy(() -> BrokerConfig.parse(voterWithoutController))
                .isInstanceOf(ConfigException.class).hasMessageContaining("controller.quorum.voters")
                .hasMessageContaining("node.id=1 is a voter, but this node has only the broker role");
    }

    @Test
    void aControllerOnlyNodeListensOnlyOnItsControllerListener() {
        Map<String, String> controllerOnly = clusterNode(1, "1@127.0.0.1:9103");
        controllerOnly.put("process.roles", "controller");
        controllerOnly.put("listeners", "CONTROLLER://127.0.0.1:9103");
        BrokerConfig config = BrokerConfig.parse(controllerOnly);
        assertThat(config.isController()).isTrue();
        assertThat(config.isBroker()).isFalse();
        assertThat(config.brokerListeners()).isEmpty();
        // config/cluster.properties names the brokers' inter-broker listener; a controller has none.
        controllerOnly.put("inter.broker.listener.name", "PLAINTEXT");
        assertThat(BrokerConfig.parse(controllerOnly).isBroker()).isFalse();

        controllerOnly.put("listeners", "PLAINTEXT://127.0.0.1:9102,CONTROLLER://127.0.0.1:9103");
        assertThatThrownBy(() -> BrokerConfig.parse(controllerOnly))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listeners")
                .hasMessageContaining("PLAINTEXT://127.0.0.1:9102,CONTROLLER://127.0.0.1:9103")
                .hasMessageContaining("a controller-only node (process.roles=controller) listens only on its "
                        + "controller listeners");
    }

    @Test
    void aNodeWithoutVotersButNotBothRolesIsRefused() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("process.roles", "controller")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("process.roles");
    }

    @Test
    void theThrottleRatesAndTheTopicDefaultsUnderKafkasDynamicNamesAreDynamicAndDescribedAsWritable() {
        assertThat(BrokerConfig.dynamicDefinitions().keys().keySet())
                .contains("leader.replication.throttled.rate", "follower.replication.throttled.rate",
                        "log.retention.ms", "log.segment.bytes", "min.insync.replicas", "message.max.bytes",
                        "log.cleanup.policy", "compression.type", "unclean.leader.election.enable",
                        "max.connections.per.ip", "max.connections.per.ip.overrides", "max.connections",
                        "num.io.threads")
                .doesNotContain("log.retention.hours", "log.retention.minutes", "log.roll.hours",
                        "log.flush.scheduler.interval.ms", "num.network.threads", "log.dirs");
        assertThat(BrokerConfig.dynamicDefinitions().key("leader.replication.throttled.rate").orElseThrow()
                .validator()).isSameAs(BrokerConfig.DEFINITIONS.find("leader.replication.throttled.rate").orElseThrow()
                .validator());

        var view = BrokerConfigViews.brokerView(BrokerConfig.defaults());
        assertThat(view.entry("follower.replication.throttled.rate").orElseThrow().readOnly()).isFalse();
        assertThat(view.entry("log.retention.ms").orElseThrow().readOnly()).isFalse();
        assertThat(view.entry("num.network.threads").orElseThrow().readOnly()).isTrue();
    }

    @Test
    void aListenersKeyStoreIsDynamicForOneBrokerAndReplacesItsStaticOne() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://:9092,SSL://:9093",
                "ssl.keystore.location", "/old.p12"));

        assertThat(BrokerConfig.isDynamic("listener.name.ssl.ssl.keystore.location")).isTrue();
        assertThat(BrokerConfig.isDynamic("listener.name.ssl.ssl.client.auth")).isFalse();
        assertThat(config.withDynamic(Map.of(), Map.of("listener.name.ssl.ssl.keystore.location", "/new.p12"))
                .tlsSettings("SSL").keyStore()).contains(Path.of("/new.p12"));
        assertThat(config.withDynamic(Map.of("listener.name.ssl.ssl.keystore.location", "/new.p12"), Map.of())
                .tlsSettings("SSL").keyStore()).contains(Path.of("/old.p12"));
    }

    @Test
    void dynamicConfigsOfTheBrokerWinOverTheClusterDefaultWhichWinsOverServerProperties() {
        BrokerConfig config = BrokerConfig.parse(Map.of("log.retention.bytes", "100", "log.segment.bytes", "2000",
                "min.insync.replicas", "2"));

        BrokerConfig dynamic = config.withDynamic(Map.of("log.retention.bytes", "200", "log.segment.bytes", "3000"),
                Map.of("log.segment.bytes", "4000"));

        assertThat(dynamic.logDefaults()).containsEntry("retention.bytes", "200").containsEntry("segment.bytes", "4000")
                .containsEntry("min.insync.replicas", "2");
        assertThat(config.logDefaults()).containsEntry("segment.bytes", "2000");
    }

    @Test
    void aStaticRetentionInMillisecondsStillWinsOverDynamicHoursAndStaticKeysAreNotOverridden() {
        BrokerConfig config = BrokerConfig.parse(Map.of("log.retention.ms", "60000", "num.network.threads", "4"));

        BrokerConfig dynamic = config.withDynamic(Map.of("log.retention.hours", "1", "num.network.threads", "16"),
                Map.of());

        assertThat(dynamic.logRetentionMs()).isEqualTo(60000);
        assertThat(dynamic.numNetworkThreads()).isEqualTo(4);
        assertThat(config.withDynamic(Map.of("log.retention.ms", "5000"), Map.of()).logRetentionMs()).isEqualTo(5000);
    }
}
