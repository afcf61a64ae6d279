package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster node with a bad configuration, or the data directory of another cluster, does not start and says why. */
class ClusterConfigTest {
    @TempDir
    Path tempDir;

    @Test
    void aSaslControllerListenerStopsTheStartNamingTheKey() {
        GregorProcess node = GregorProcess.cluster(tempDir, 1, Map.of(
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN")).get(0);

        assertThat(node.runExpectingExit()).isEqualTo(2);
        assertThat(node.log()).contains("controller.listener.names")
                .contains("the metadata quorum speaks Raft over gRPC, without SASL: map it to PLAINTEXT or SSL");
    }

    @Test
    void anUnreadableTrustStoreOfTheInterBrokerListenerStopsTheStartNamingItsOwnKey() throws Exception {
        Path keyStore = TestCertificates.keyStore(tempDir, "node-1", "node-1");
        int internalPort = PortFinder.freeLoopbackPorts(1).get(0);
        GregorProcess template = GregorProcess.cluster(tempDir, 1, Map.of()).get(0);
        Map<String, String> settings = new LinkedHashMap<>(template.settings());
        settings.putAll(Map.of(
                "listeners", settings.get("listeners") + ",INTERNAL://127.0.0.1:" + internalPort,
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:SSL,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name", "INTERNAL",
                "ssl.keystore.location", keyStore.toString(),
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", TestCertificates.PASSWORD,
                "listener.name.internal.ssl.truststore.location", tempDir.resolve("missing.p12").toString()));
        GregorProcess node = new GregorProcess(template.dataDir(), template.port(), settings);

        assertThat(node.runExpectingExit()).isEqualTo(2);
        assertThat(node.log()).contains("listener.name.internal.ssl.truststore.location")
                .contains(tempDir.resolve("missing.p12").toString()).contains("no such file");
    }

    @Test
    void aVoterWhoseTrustStoreLacksTheOthersCertificatesSaysWhyAndTheOthersGoOn() throws Exception {
        for (int id = 1; id <= 3; id++) {
            Path keyStore = TestCertificates.keyStore(tempDir, "node-" + id, "node-" + id);
            TestCertificates.trustStore(tempDir, "nodes-truststore", keyStore, "node-" + id);
        }
        Path ownOnly = TestCertificates.trustStore(tempDir, "node-3-only", tempDir.resolve("node-3.p12"), "node-3");
        List<GregorProcess> nodes = GregorProcess.cluster(tempDir, 3, Map.of(
                        "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:SSL",
                        "ssl.keystore.type", "PKCS12",
                        "ssl.keystore.password", TestCertificates.PASSWORD,
                        "ssl.truststore.type", "PKCS12",
                        "ssl.truststore.password", TestCertificates.PASSWORD),
                id -> Map.of("ssl.keystore.location", tempDir.resolve("node-" + id + ".p12").toString(),
                        "ssl.truststore.location", (id == 3 ? ownOnly : tempDir.resolve("nodes-truststore.p12"))
                                .toString()));
        try {
            nodes.get(0).start();
            nodes.get(1).start();
            GregorProcess misconfigured = nodes.get(2).startWithoutWaiting();

            await("node 3 says why it cannot reach the others").atMost(Duration.ofSeconds(60))
                    .until(() -> misconfigured.log().contains("Cannot reach voter 1 at "));
            assertThat(misconfigured.log()).contains("the TLS handshake failed")
                    .contains("unable to find valid certification path");
            try (Admin admin = Clients.admin(nodes.get(0).bootstrapServers())) {
                await("nodes 1 and 2 form the quorum without node 3").atMost(Duration.ofSeconds(60))
                        .ignoreExceptions().until(() -> admin.describeCluster().nodes().get().stream()
                                .map(node -> node.id()).toList().containsAll(List.of(1, 2)));
            }
        } finally {
            nodes.forEach(GregorProcess::close);
        }
    }

    @Test
    void duplicateNodeIdInTheVotersStopsTheStartNamingKeyAndValue() {
        GregorProcess node = GregorProcess.cluster(tempDir, 1, Map.of(
                "controller.quorum.voters", "1@127.0.0.1:19093,1@127.0.0.1:19094")).get(0);

        assertThat(node.runExpectingExit()).isNotZero();
        assertThat(node.log()).contains("controller.quorum.voters").contains("1@127.0.0.1:19093,1@127.0.0.1:19094")
                .contains("node id 1 appears more than once");
    }

    @Test
    void aControllerThatIsNotAmongTheVotersDoesNotStart() {
        GregorProcess node = GregorProcess.cluster(tempDir, 1, Map.of(
                "node.id", "7")).get(0);

        assertThat(node.runExpectingExit()).isNotZero();
        assertThat(node.log()).contains("controller.quorum.voters").contains("node.id=7 is not among the voters");
    }

    @Test
    void aNodeWhoseVoterListDisagreesWithARunningVoterStopsNamingTheKeyAndBothLists() {
        List<GregorProcess> three = GregorProcess.cluster(tempDir, 3, Map.of());
        GregorProcess first = three.get(0);
        first.start(); // alone, it waits for a quorum
        String voters = first.setting("controller.quorum.voters").orElseThrow();
        String withoutNode3 = voters.substring(0, voters.lastIndexOf(','));

        Map<String, String> disagreeing = new LinkedHashMap<>(three.get(1).settings());
        disagreeing.put("controller.quorum.voters", withoutNode3);
        GregorProcess second = new GregorProcess(three.get(1).dataDir(), three.get(1).port(), disagreeing);

        assertThat(second.runExpectingExit()).isNotZero();
        assertThat(second.log()).contains("controller.quorum.voters differs between the nodes")
                .contains("this node (node 2) has " + withoutNode3)
                .contains("node 1 at " + voters.substring(2, voters.indexOf(',')) + " has " + voters);
        assertThat(first.isAlive()).as("the running voter goes on").isTrue();
        first.close();
    }

    @Test
    void aSecondLiveBrokerWithTheSameNodeIdStopsNamingTheId() throws Exception {
        List<GregorProcess> nodes = GregorProcess.cluster(tempDir, 1, 1, Map.of(
                "broker.heartbeat.interval.ms", "500"));
        nodes.forEach(GregorProcess::start);
        GregorProcess first = nodes.get(1);
        await("broker 2 registered").atMost(Duration.ofSeconds(60))
                .until(() -> first.log().contains("Broker 2 registered with the active controller"));

        // Another process as node 2: the same cluster settings, its own ports and data directory.
        List<Integer> ports = PortFinder.freeLoopbackPorts(2);
        Map<String, String> twin = new LinkedHashMap<>(first.settings());
        twin.put("listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",CONTROLLER://127.0.0.1:" + ports.get(1));
        GregorProcess second = new GregorProcess(tempDir.resolve("twin"), ports.get(0), twin);
        try {
            assertThat(second.runExpectingExit()).isEqualTo(1);
            assertThat(second.log()).contains("node 2 already follows the metadata quorum at 127.0.0.1:"
                    + first.setting("listeners").orElseThrow().replaceAll(".*CONTROLLER://127.0.0.1:", ""))
                    .contains("two nodes have node.id=2");
            assertThat(first.isAlive()).as("the first node 2 goes on").isTrue();
        } finally {
            second.close();
            nodes.forEach(GregorProcess::close);
        }
    }

    @Test
    void aDataDirectoryOfAnotherClusterIsRefused() {
        List<GregorProcess> first = GregorProcess.cluster(tempDir, 1, Map.of());
        GregorProcess node = first.get(0);
        node.start();
        assertThat(node.stop()).isZero();

        // The same directory and node id, in a cluster whose quorum (and so cluster id) differs.
        Map<String, String> otherCluster = new LinkedHashMap<>();
        otherCluster.put("log.dirs", node.dataDir().toString());
        GregorProcess stranger = GregorProcess.cluster(tempDir.resolve("other"), 1, otherCluster).get(0);

        assertThat(stranger.runExpectingExit()).isNotZero();
        assertThat(stranger.log()).contains("belongs to cluster");
    }
}
