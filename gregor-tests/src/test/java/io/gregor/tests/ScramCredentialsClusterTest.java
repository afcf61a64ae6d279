package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a three-node cluster, a SCRAM credential set through a node that is not the active controller
 * is forwarded to the controller, committed to the metadata log, and described by every node.
 * Raw connections pin each request to one node, which the AdminClient does not let one choose.
 */
class ScramCredentialsClusterTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tempDir;
    private static GregorCluster cluster;

    @BeforeAll
    static void start() {
        cluster = GregorCluster.start(tempDir, 3, Map.of("broker.heartbeat.interval.ms", "500"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCredentialSetThroughANodeThatIsNotTheControllerIsDescribedByEveryNode() throws Exception {
        int notController = cluster.nodeIds().stream().filter(id -> id != activeController()).findFirst()
                .orElseThrow();
        byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] saltedPassword = io.gregor.metadata.image.ScramMechanism.SCRAM_SHA_256
                .saltedPassword("secret".toCharArray(), salt, 8192);
        AlterUserScramCredentialsRequestData alteration = new AlterUserScramCredentialsRequestData();
        alteration.upsertions().add(new AlterUserScramCredentialsRequestData.ScramCredentialUpsertion()
                .setName("carol").setMechanism(ScramMechanism.SCRAM_SHA_256.type()).setIterations(8192)
                .setSalt(salt).setSaltedPassword(saltedPassword));

        try (RawConnection connection = new RawConnection(cluster.bootstrapServers(notController))) {
            AlterUserScramCredentialsResponse response = (AlterUserScramCredentialsResponse) connection.send(
                    new AlterUserScramCredentialsRequest.Builder(alteration).build((short) 0));
            assertThat(response.data().results()).singleElement().satisfies(user ->
                    assertThat(user.errorCode()).as(user.errorMessage()).isEqualTo(Errors.NONE.code()));
        }

        for (int node : cluster.nodeIds()) {
            await("carol's credential seen from node " + node).atMost(CLUSTER_TIMEOUT)
                    .until(() -> describe(node, "carol").errorCode() == Errors.NONE.code());
            assertThat(describe(node, "carol").credentialInfos())
                    .extracting(CredentialInfo::mechanism, CredentialInfo::iterations)
                    .containsExactly(tuple(ScramMechanism.SCRAM_SHA_256.type(), 8192));
        }
    }

    @Test
    void aCredentialDeletedWithTheAdminClientIsGoneOnEveryNode() throws Exception {
        int notController = cluster.nodeIds().stream().filter(id -> id != activeController()).findFirst()
                .orElseThrow();
        try (Admin admin = Clients.admin(cluster.bootstrapServers(notController))) {
            admin.alterUserScramCredentials(List.of(
                    ScramCredentialsTest.upsertion("dave", ScramMechanism.SCRAM_SHA_512, 4096))).all().get();
            for (int node : cluster.nodeIds()) {
                await("dave's credential seen from node " + node).atMost(CLUSTER_TIMEOUT)
                        .until(() -> describe(node, "dave").errorCode() == Errors.NONE.code());
            }

            admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialDeletion("dave", ScramMechanism.SCRAM_SHA_512))).all().get();
        }

        for (int node : cluster.nodeIds()) {
            await("dave's credential gone from node " + node).atMost(CLUSTER_TIMEOUT)
                    .until(() -> describe(node, "dave").errorCode() == Errors.RESOURCE_NOT_FOUND.code());
        }
    }

    private static int activeController() {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            await("an active controller").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().controller().get() != null);
            return admin.describeCluster().controller().get().id();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static DescribeUserScramCredentialsResult describe(int node, String user) throws Exception {
        DescribeUserScramCredentialsRequestData data = new DescribeUserScramCredentialsRequestData()
                .setUsers(List.of(new UserName().setName(user)));
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers(node))) {
            DescribeUserScramCredentialsResponse response = (DescribeUserScramCredentialsResponse) connection.send(
                    new DescribeUserScramCredentialsRequest.Builder(data).build((short) 0));
            return response.data().results().get(0);
        }
    }
}
