package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateAclsResult;
import org.apache.kafka.clients.admin.DeleteAclsResult.FilterResults;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACLs created, described and deleted with the real AdminClient (KIP-11, KIP-140, KIP-290), kept in
 * the metadata log. Each test uses its own principals, so the tests do not depend on each other.
 */
class AclsTest {
    @TempDir
    static Path dataDir;
    static GregorBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of());
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void aclsOfEveryResourceTypeAreDescribedByPrincipalAndByTheResourceTheyApplyTo() throws Exception {
        List<AclBinding> acls = List.of(
                acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:ann", AclOperation.READ),
                acl(ResourceType.TOPIC, "ord", PatternType.PREFIXED, "User:ann", AclOperation.WRITE),
                acl(ResourceType.TOPIC, "*", PatternType.LITERAL, "User:ann2", AclOperation.DESCRIBE),
                acl(ResourceType.GROUP, "billing", PatternType.LITERAL, "User:ann", AclOperation.READ),
                acl(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, "User:ann", AclOperation.IDEMPOTENT_WRITE),
                acl(ResourceType.TRANSACTIONAL_ID, "tx-", PatternType.PREFIXED, "User:ann", AclOperation.WRITE));
        admin.createAcls(acls).all().get();

        assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get()).containsAll(acls);
        assertThat(admin.describeAcls(byPrincipal("User:ann")).values().get())
                .containsExactlyInAnyOrderElementsOf(acls.stream()
                        .filter(acl -> acl.entry().principal().equals("User:ann")).toList());
        AclBindingFilter appliesToOrders = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, "orders", PatternType.MATCH),
                AccessControlEntryFilter.ANY);
        assertThat(admin.describeAcls(appliesToOrders).values().get())
                .contains(acls.get(0), acls.get(1), acls.get(2))
                .doesNotContain(acls.get(3), acls.get(4), acls.get(5));
        AclBindingFilter prefixedTopics = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, null, PatternType.PREFIXED), byPrincipal("User:ann").entryFilter());
        assertThat(admin.describeAcls(prefixedTopics).values().get()).containsExactly(acls.get(1));
    }

    @Test
    void creatingAnExistingAclSucceedsAndKeepsOneCopy() throws Exception {
        AclBinding acl = acl(ResourceType.TOPIC, "twice", PatternType.LITERAL, "User:bea", AclOperation.READ);
        admin.createAcls(List.of(acl)).all().get();
        admin.createAcls(List.of(acl, acl)).all().get();

        assertThat(admin.describeAcls(byPrincipal("User:bea")).values().get()).containsExactly(acl);
    }

    @Test
    void deletingByFilterAnswersWhatEachFilterDeleted() throws Exception {
        AclBinding readOrders = acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:cid", AclOperation.READ);
        AclBinding writeOrders = acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:cid", AclOperation.WRITE);
        AclBinding readGroup = acl(ResourceType.GROUP, "g", PatternType.LITERAL, "User:cid", AclOperation.READ);
        admin.createAcls(List.of(readOrders, writeOrders, readGroup)).all().get();
        AclBindingFilter writes = new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(
                "User:cid", null, AclOperation.WRITE, AclPermissionType.ANY));
        AclBindingFilter none = new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(
                "User:nobody", null, AclOperation.ANY, AclPermissionType.ANY));

        Map<AclBindingFilter, org.apache.kafka.common.KafkaFuture<FilterResults>> results =
                admin.deleteAcls(List.of(writes, none)).values();

        assertThat(results.get(writes).get().values()).singleElement()
                .satisfies(result -> assertThat(result.binding()).isEqualTo(writeOrders));
        assertThat(results.get(none).get().values()).isEmpty();
        assertThat(admin.describeAcls(byPrincipal("User:cid")).values().get())
                .containsExactlyInAnyOrder(readOrders, readGroup);
    }

    @Test
    void invalidAclsFailWithInvalidRequestExceptionsSayingWhatIsWrong() throws Exception {
        AclBinding valid = acl(ResourceType.TOPIC, "fine", PatternType.LITERAL, "User:dan", AclOperation.READ);
        AclBinding emptyName = acl(ResourceType.TOPIC, "", PatternType.LITERAL, "User:dan", AclOperation.READ);
        AclBinding noPrincipalType = acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "dan", AclOperation.READ);
        AclBinding hostName = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "t", PatternType.LITERAL),
                new AccessControlEntry("User:dan", "example.com", AclOperation.READ, AclPermissionType.ALLOW));
        AclBinding prefixedWildcard = acl(ResourceType.GROUP, "*", PatternType.PREFIXED, "User:dan", AclOperation.READ);
        AclBinding otherCluster = acl(ResourceType.CLUSTER, "mine", PatternType.LITERAL, "User:dan", AclOperation.ALTER);

        CreateAclsResult result = admin.createAcls(List.of(valid, emptyName, noPrincipalType, hostName,
                prefixedWildcard, otherCluster));

        result.values().get(valid).get();
        assertInvalid(result, emptyName, "The resource name of an ACL must not be empty");
        assertInvalid(result, noPrincipalType, "Invalid principal 'dan': expected the form Type:name");
        assertInvalid(result, hostName, "Invalid host 'example.com': expected * or an IP address");
        assertInvalid(result, prefixedWildcard, "A PREFIXED ACL cannot be named '*'");
        assertInvalid(result, otherCluster, "The only valid name for the CLUSTER resource is kafka-cluster");
        assertThat(admin.describeAcls(byPrincipal("User:dan")).values().get()).containsExactly(valid);
    }

    /** What kafka-acls.sh does for --add --consumer, --list --topic and --remove, done with the AdminClient. */
    @Test
    void kafkaAclsShStyleConsumerGrantListAndRemoveWork() throws Exception {
        // --add --allow-principal User:eve --consumer --topic payments --group payers
        List<AclBinding> consumer = List.of(
                acl(ResourceType.TOPIC, "payments", PatternType.LITERAL, "User:eve", AclOperation.READ),
                acl(ResourceType.TOPIC, "payments", PatternType.LITERAL, "User:eve", AclOperation.DESCRIBE),
                acl(ResourceType.GROUP, "payers", PatternType.LITERAL, "User:eve", AclOperation.READ));
        admin.createAcls(consumer).all().get();

        // --list --topic payments: every pattern type of that exact name
        AclBindingFilter listTopic = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, "payments", PatternType.ANY), AccessControlEntryFilter.ANY);
        assertThat(admin.describeAcls(listTopic).values().get()).containsExactlyInAnyOrder(consumer.get(0), consumer.get(1));

        // --remove --allow-principal User:eve --operation Read --topic payments
        AclBindingFilter removeRead = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, "payments", PatternType.LITERAL),
                new AccessControlEntryFilter("User:eve", "*", AclOperation.READ, AclPermissionType.ALLOW));
        assertThat(admin.deleteAcls(List.of(removeRead)).all().get()).containsExactly(consumer.get(0));
        assertThat(admin.describeAcls(byPrincipal("User:eve")).values().get())
                .containsExactlyInAnyOrder(consumer.get(1), consumer.get(2));
    }

    @Test
    void aclsSurviveARestartOfTheBroker() throws Exception {
        AclBinding acl = acl(ResourceType.TRANSACTIONAL_ID, "durable-tx", PatternType.LITERAL, "User:fay",
                AclOperation.WRITE);
        admin.createAcls(List.of(acl)).all().get();

        broker.restart();

        try (Admin afterRestart = Clients.admin(broker.bootstrapServers())) {
            assertThat(afterRestart.describeAcls(byPrincipal("User:fay")).values().get()).containsExactly(acl);
        }
    }

    static AclBinding acl(ResourceType type, String name, PatternType pattern, String principal,
                          AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    static AclBindingFilter byPrincipal(String principal) {
        return new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
    }

    private static void assertInvalid(CreateAclsResult result, AclBinding acl, String message) {
        assertThatThrownBy(() -> result.values().get(acl).get()).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InvalidRequestException.class).hasMessageContaining(message);
    }
}
