package io.gregor.metadata.acl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AclBindingFilterTest {
    private static final AclBinding ORDERS = topic("orders", AclPatternType.LITERAL, "User:alice");
    private static final AclBinding ORD_PREFIX = topic("ord", AclPatternType.PREFIXED, "User:alice");
    private static final AclBinding ALL_TOPICS = topic("*", AclPatternType.LITERAL, "User:bob");
    private static final AclBinding OTHER_PREFIX = topic("pay", AclPatternType.PREFIXED, "User:bob");
    private static final AclBinding GROUP_ORDERS = new AclBinding(AclResourceType.GROUP, "orders",
            AclPatternType.LITERAL, "User:alice", "*", AclOperation.READ, AclPermission.ALLOW);
    private static final List<AclBinding> ACLS = List.of(ORDERS, ORD_PREFIX, ALL_TOPICS, OTHER_PREFIX, GROUP_ORDERS);

    @Test
    void anySelectsEveryAcl() {
        assertThat(selected(AclBindingFilter.ANY)).isEqualTo(ACLS);
    }

    @Test
    void anyPatternSelectsBothPatternTypesByExactName() {
        assertThat(selected(filter(null, "ord", AclPatternFilter.ANY))).containsExactly(ORD_PREFIX);
        assertThat(selected(filter(null, "orders", AclPatternFilter.ANY))).containsExactly(ORDERS, GROUP_ORDERS);
    }

    @Test
    void matchSelectsTheAclsThatApplyToTheNamedResource() {
        assertThat(selected(filter(AclResourceType.TOPIC, "orders", AclPatternFilter.MATCH)))
                .containsExactly(ORDERS, ORD_PREFIX, ALL_TOPICS);
        assertThat(selected(filter(null, "orders", AclPatternFilter.MATCH)))
                .containsExactly(ORDERS, ORD_PREFIX, ALL_TOPICS, GROUP_ORDERS);
        assertThat(selected(filter(AclResourceType.TOPIC, "payments", AclPatternFilter.MATCH)))
                .containsExactly(ALL_TOPICS, OTHER_PREFIX);
    }

    @Test
    void literalAndPrefixedSelectThatPatternTypeOnly() {
        assertThat(selected(filter(AclResourceType.TOPIC, null, AclPatternFilter.PREFIXED)))
                .containsExactly(ORD_PREFIX, OTHER_PREFIX);
        assertThat(selected(filter(AclResourceType.TOPIC, "*", AclPatternFilter.LITERAL))).containsExactly(ALL_TOPICS);
        assertThat(selected(filter(AclResourceType.TOPIC, "orders", AclPatternFilter.PREFIXED))).isEmpty();
    }

    @Test
    void entryFieldsSelectExactValues() {
        assertThat(selected(new AclBindingFilter(null, null, AclPatternFilter.ANY, "User:bob", null, null, null)))
                .containsExactly(ALL_TOPICS, OTHER_PREFIX);
        assertThat(selected(new AclBindingFilter(null, null, AclPatternFilter.ANY, null, "*", AclOperation.READ,
                AclPermission.ALLOW))).containsExactly(GROUP_ORDERS);
        assertThat(selected(new AclBindingFilter(null, null, AclPatternFilter.ANY, null, "10.0.0.1", null, null)))
                .isEmpty();
    }

    private static List<AclBinding> selected(AclBindingFilter filter) {
        return ACLS.stream().filter(filter::matches).toList();
    }

    private static AclBindingFilter filter(AclResourceType type, String name, AclPatternFilter pattern) {
        return new AclBindingFilter(type, name, pattern, null, null, null, null);
    }

    private static AclBinding topic(String name, AclPatternType pattern, String principal) {
        return new AclBinding(AclResourceType.TOPIC, name, pattern, principal, "*", AclOperation.WRITE,
                AclPermission.ALLOW);
    }
}
