package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a three-node cluster, an ACL created through a node that is not the active controller is
 * forwarded to the controller, committed to the metadata log, and described by every node. Raw
 * connections pin each request to one node, which the AdminClient does not let one choose.
 */
class AclsClusterTest {
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
    void anAclCreatedThroughANodeThatIsNotTheControllerIsDescribedByEveryNode() throws Exception {
        int notController = cluster.nodeIds().stream().filter(id -> id != activeController()).findFirst()
                .orElseThrow();
        AclBinding acl = AclsTest.acl(ResourceType.TOPIC, "audit-", PatternType.PREFIXED, "User:gil",
                AclOperation.READ);

        try (RawConnection connection = new RawConnection(cluster.bootstrapServers(notController))) {
            CreateAclsResponse response = (CreateAclsResponse) connection.send(new CreateAclsRequest.Builder(
                    new CreateAclsRequestData().setCreations(List.of(CreateAclsRequest.aclCreation(acl))))
                    .build((short) 3));
            assertThat(response.results()).singleElement().satisfies(result ->
                    assertThat(result.errorCode()).as(result.errorMessage()).isEqualTo(Errors.NONE.code()));
        }

        for (int node : cluster.nodeIds()) {
            await("the ACL seen from node " + node).atMost(CLUSTER_TIMEOUT)
                    .until(() -> describe(node).contains(acl));
        }
    }

    @Test
    void anAclDeletedWithTheAdminClientIsGoneOnEveryNode() throws Exception {
        AclBinding acl = AclsTest.acl(ResourceType.GROUP, "auditors", PatternType.LITERAL, "User:hal",
                AclOperation.READ);
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createAcls(List.of(acl)).all().get();
            for (int node : cluster.nodeIds()) {
                await("the ACL seen from node " + node).atMost(CLUSTER_TIMEOUT).until(() -> describe(node).contains(acl));
            }

            assertThat(admin.deleteAcls(List.of(acl.toFilter())).all().get()).containsExactly(acl);
        }

        for (int node : cluster.nodeIds()) {
            await("the ACL gone from node " + node).atMost(CLUSTER_TIMEOUT).until(() -> !describe(node).contains(acl));
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

    private static Collection<AclBinding> describe(int node) throws Exception {
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers(node))) {
            DescribeAclsResponse response = (DescribeAclsResponse) connection.send(
                    new DescribeAclsRequest.Builder(org.apache.kafka.common.acl.AclBindingFilter.ANY).build((short) 3));
            assertThat(response.error().error()).isEqualTo(Errors.NONE);
            return DescribeAclsResponse.aclBindings(response.acls());
        }
    }
}
