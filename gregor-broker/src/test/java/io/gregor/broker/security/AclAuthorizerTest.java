package io.gregor.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclPatternType;
import io.gregor.metadata.acl.AclPermission;
import io.gregor.metadata.acl.AclResourceType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AclAuthorizerTest {
    private static final InetAddress HOST = InetAddress.getLoopbackAddress();
    private static final InetAddress OTHER_HOST = address(10, 0, 0, 7);
    private static final String ALICE = "User:alice";
    private static final String BOB = "User:bob";

    private Collection<AclBinding> acls = List.of();
    private final AclAuthorizer authorizer = new AclAuthorizer(() -> acls, Set.of("User:admin"), false);

    @Test
    void superUsersMayDoEverythingAndOthersNothingWithoutAcls() {
        assertThat(authorizer.authorize("User:admin", HOST, AclOperation.ALTER, AclResourceType.CLUSTER, "kafka-cluster"))
                .isTrue();
        assertThat(topic(ALICE, AclOperation.READ, "orders")).isFalse();
        AclAuthorizer open = new AclAuthorizer(() -> acls, Set.of(), true);
        assertThat(open.authorize(ALICE, HOST, AclOperation.READ, AclResourceType.TOPIC, "orders"))
                .as("allow.everyone.if.no.acl.found").isTrue();
    }

    @Test
    void anAllowCoversItsOperationAndWhatItImplies() {
        acls = List.of(allow(ALICE, AclOperation.READ, "orders", AclPatternType.LITERAL));
        assertThat(topic(ALICE, AclOperation.READ, "orders")).isTrue();
        assertThat(topic(ALICE, AclOperation.DESCRIBE, "orders")).as("READ implies DESCRIBE").isTrue();
        assertThat(topic(ALICE, AclOperation.WRITE, "orders")).isFalse();
        assertThat(topic(BOB, AclOperation.READ, "orders")).isFalse();
        assertThat(topic(ALICE, AclOperation.READ, "orders-2")).isFalse();
        // a resource with an ACL is not open even with allow.everyone.if.no.acl.found
        AclAuthorizer open = new AclAuthorizer(() -> acls, Set.of(), true);
        assertThat(open.authorize(BOB, HOST, AclOperation.READ, AclResourceType.TOPIC, "orders")).isFalse();
        assertThat(open.authorize(BOB, HOST, AclOperation.READ, AclResourceType.TOPIC, "payments")).isTrue();
    }

    @Test
    void prefixedWildcardAndAllMatchAsKafkaDocumentsThem() {
        acls = List.of(allow(ALICE, AclOperation.WRITE, "orders.", AclPatternType.PREFIXED),
                allow("User:*", AclOperation.DESCRIBE, "*", AclPatternType.LITERAL),
                allow(BOB, AclOperation.ALL, "payments", AclPatternType.LITERAL));
        assertThat(topic(ALICE, AclOperation.WRITE, "orders.eu")).isTrue();
        assertThat(topic(ALICE, AclOperation.WRITE, "orders")).isFalse();
        assertThat(topic(BOB, AclOperation.DESCRIBE, "anything")).isTrue();
        assertThat(topic(BOB, AclOperation.DELETE, "payments")).isTrue();
        assertThat(authorizer.authorize(ALICE, HOST, AclOperation.WRITE, AclResourceType.GROUP, "orders.eu"))
                .as("ACLs are per resource type").isFalse();
    }

    @Test
    void aDenyWinsOverAnAllowButDeniesOnlyItsOperation() {
        acls = List.of(allow(ALICE, AclOperation.ALL, "orders", AclPatternType.LITERAL),
                binding(ALICE, "*", AclOperation.WRITE, "orders", AclPatternType.PREFIXED, AclPermission.DENY),
                binding(BOB, OTHER_HOST.getHostAddress(), AclOperation.READ, "orders", AclPatternType.LITERAL,
                        AclPermission.ALLOW));
        assertThat(topic(ALICE, AclOperation.WRITE, "orders")).isFalse();
        assertThat(topic(ALICE, AclOperation.READ, "orders")).isTrue();
        assertThat(topic(BOB, AclOperation.READ, "orders")).as("allowed from another host only").isFalse();
        assertThat(authorizer.authorize(BOB, OTHER_HOST, AclOperation.READ, AclResourceType.TOPIC, "orders")).isTrue();
    }

    @Test
    void someTopicIsWritableWhenAnAllowIsNotDeniedEverywhere() {
        acls = List.of(allow(ALICE, AclOperation.WRITE, "orders.", AclPatternType.PREFIXED),
                binding(BOB, "*", AclOperation.WRITE, "payments", AclPatternType.LITERAL, AclPermission.ALLOW),
                binding(BOB, "*", AclOperation.WRITE, "pay", AclPatternType.PREFIXED, AclPermission.DENY),
                allow("User:carol", AclOperation.WRITE, "audit", AclPatternType.LITERAL),
                binding("User:carol", "*", AclOperation.ALL, "*", AclPatternType.LITERAL, AclPermission.DENY));
        assertThat(authorizer.authorizeAny(ALICE, HOST, AclOperation.WRITE, AclResourceType.TOPIC))
                .as("a prefix no topic has yet").isTrue();
        assertThat(authorizer.authorizeAny(BOB, HOST, AclOperation.WRITE, AclResourceType.TOPIC))
                .as("its only allow lies under a denied prefix").isFalse();
        assertThat(authorizer.authorizeAny("User:carol", HOST, AclOperation.WRITE, AclResourceType.TOPIC))
                .as("denied on every topic").isFalse();
        assertThat(authorizer.authorizeAny(ALICE, HOST, AclOperation.READ, AclResourceType.TOPIC)).isFalse();
        assertThat(authorizer.authorizeAny("User:admin", HOST, AclOperation.READ, AclResourceType.TOPIC)).isTrue();
    }

    @Test
    void newAclsApplyAtTheNextDecision() {
        assertThat(topic(ALICE, AclOperation.READ, "orders")).isFalse();
        List<AclBinding> changed = new ArrayList<>();
        changed.add(allow(ALICE, AclOperation.READ, "orders", AclPatternType.LITERAL));
        acls = changed;
        assertThat(topic(ALICE, AclOperation.READ, "orders")).isTrue();
        acls = List.of();
        assertThat(topic(ALICE, AclOperation.READ, "orders")).isFalse();
    }

    private static InetAddress address(int... bytes) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) bytes[0], (byte) bytes[1], (byte) bytes[2],
                    (byte) bytes[3]});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private boolean topic(String principal, AclOperation operation, String name) {
        return authorizer.authorize(principal, HOST, operation, AclResourceType.TOPIC, name);
    }

    private static AclBinding allow(String principal, AclOperation operation, String name, AclPatternType pattern) {
        return binding(principal, "*", operation, name, pattern, AclPermission.ALLOW);
    }

    private static AclBinding binding(String principal, String host, AclOperation operation, String name,
                                      AclPatternType pattern, AclPermission permission) {
        return new AclBinding(AclResourceType.TOPIC, name, pattern, principal, host, operation, permission);
    }
}
