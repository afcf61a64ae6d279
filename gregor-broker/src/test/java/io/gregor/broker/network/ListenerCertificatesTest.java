package io.gregor.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.TestKeyStores;
import io.gregor.broker.config.BrokerConfig;
import io.gregor.broker.config.DynamicBrokerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks a certificate rotated in at run time must pass on an SSL listener: the same subject
 * and subject alternative names unless ssl.allow.dn.changes / ssl.allow.san.changes allow other
 * ones (KIP-978), and a key store rewritten at the same path checked like a new one.
 */
class ListenerCertificatesTest {
    private static final String PASSWORD = "test-secret";
    private static final String LOCATION = "listener.name.ssl.ssl.keystore.location";

    @TempDir
    static Path dir;

    @BeforeAll
    static void keys() throws Exception {
        keyStore("first", "broker", "dns:broker.example.com");
        keyStore("renewed", "broker", "dns:broker.example.com");
        keyStore("renamed", "someone-else", "dns:broker.example.com");
        keyStore("moved", "broker", "dns:elsewhere.example.com");
    }

    @Test
    void aCertificateNamingAnotherSubjectOrOtherAlternativeNamesIsRefusedByDefault() {
        ListenerCertificates certificates = serving(dir.resolve("first.p12"), Map.of());

        assertThat(certificates.check(proposed("renewed", Map.of()), List.of(LOCATION))).isEmpty();
        assertThat(certificates.check(proposed("renamed", Map.of()), List.of(LOCATION)))
                .hasValueSatisfying(reason -> assertThat(reason).contains(LOCATION, "DistinguishedName does not match"));
        assertThat(certificates.check(proposed("moved", Map.of()), List.of(LOCATION)))
                .hasValueSatisfying(reason -> assertThat(reason).contains(LOCATION, "SubjectAltNames do not match"));
    }

    @Test
    void sslAllowDnChangesAndSslAllowSanChangesLetThemChange() {
        Map<String, String> allowDn = Map.of("ssl.allow.dn.changes", "true");
        Map<String, String> allowSan = Map.of("listener.name.ssl.ssl.allow.san.changes", "true");

        assertThat(serving(dir.resolve("first.p12"), allowDn).check(proposed("renamed", allowDn), List.of(LOCATION)))
                .isEmpty();
        assertThat(serving(dir.resolve("first.p12"), allowDn).check(proposed("moved", allowDn), List.of(LOCATION)))
                .isPresent();
        assertThat(serving(dir.resolve("first.p12"), allowSan).check(proposed("moved", allowSan), List.of(LOCATION)))
                .isEmpty();
    }

    @Test
    void aKeyStoreRewrittenAtTheSamePathIsCheckedLikeANewOne() throws Exception {
        Path inPlace = Files.copy(dir.resolve("first.p12"), dir.resolve("in-place.p12"),
                StandardCopyOption.REPLACE_EXISTING);
        ListenerCertificates certificates = serving(inPlace, Map.of());
        BrokerConfig sameSettings = config(inPlace, Map.of());
        assertThat(certificates.check(sameSettings, List.of("ssl.keystore.location"))).isEmpty();

        Files.copy(dir.resolve("renamed.p12"), inPlace, StandardCopyOption.REPLACE_EXISTING);

        assertThat(certificates.check(sameSettings, List.of("ssl.keystore.location")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("DistinguishedName does not match"));
    }

    /** A broker whose SSL listener serves this key store. */
    private static ListenerCertificates serving(Path keyStore, Map<String, String> extra) {
        BrokerConfig config = config(keyStore, extra);
        return new ListenerCertificates(new DynamicBrokerConfig(config),
                Map.of("SSL", TlsContextFactory.forServer(config.tlsSettings("SSL"), UnaryOperator.identity())));
    }

    /** The configuration a change to the listener's key store {@code name} would give. */
    private static BrokerConfig proposed(String name, Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(extra);
        properties.put(LOCATION, dir.resolve(name + ".p12").toString());
        properties.put("listener.name.ssl.ssl.keystore.password", PASSWORD);
        properties.put("listener.name.ssl.ssl.keystore.type", "PKCS12");
        return config(dir.resolve("first.p12"), properties);
    }

    private static BrokerConfig config(Path keyStore, Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of("node.id", "1",
                "listeners", "SSL://127.0.0.1:0", "ssl.keystore.location", keyStore.toString(),
                "ssl.keystore.password", PASSWORD, "ssl.keystore.type", "PKCS12"));
        properties.putAll(extra);
        return BrokerConfig.parse(properties);
    }

    private static void keyStore(String name, String commonName, String subjectAltNames) throws Exception {
        TestKeyStores.keyStore(dir.resolve(name + ".p12"), name, commonName, subjectAltNames, PASSWORD);
    }
}
