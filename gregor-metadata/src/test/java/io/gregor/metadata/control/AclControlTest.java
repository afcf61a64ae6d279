package io.gregor.metadata.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclBindingFilter;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclPatternFilter;
import io.gregor.metadata.acl.AclPatternType;
import io.gregor.metadata.acl.AclPermission;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.AccessControlEntryRecord;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.RemoveAccessControlEntryRecord;
import io.gregor.protocol.error.Errors;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclControlTest {
    private static final AclBinding READ_ORDERS = acl(AclResourceType.TOPIC, "orders", AclPatternType.LITERAL,
            "User:alice", "*");
    private static final AclBinding READ_ORD_PREFIX = acl(AclResourceType.TOPIC, "ord", AclPatternType.PREFIXED,
            "User:alice", "10.0.0.1");

    private final AclControl control = new AclControl();

    @Test
    void newAclsGetARecordEachWithDistinctIds() {
        ControllerResult<List<ApiError>> result = control.createAcls(MetadataImage.empty("cluster"),
                List.of(READ_ORDERS, READ_ORD_PREFIX));

        assertThat(result.response()).containsExactly(ApiError.NONE, ApiError.NONE);
        assertThat(result.records()).hasSize(2);
        MetadataImage image = replay(MetadataImage.empty("cluster"), result.records());
        assertThat(image.acls()).containsExactly(READ_ORDERS, READ_ORD_PREFIX);
    }

    @Test
    void creatingAnExistingAclSucceedsWithoutARecord() {
        MetadataImage image = withAcls(READ_ORDERS);

        ControllerResult<List<ApiError>> result = control.createAcls(image,
                List.of(READ_ORDERS, READ_ORD_PREFIX, READ_ORD_PREFIX));

        assertThat(result.response()).containsExactly(ApiError.NONE, ApiError.NONE, ApiError.NONE);
        assertThat(result.records()).hasSize(1);
        assertThat(((AccessControlEntryRecord) result.records().get(0)).binding()).isEqualTo(READ_ORD_PREFIX);
    }

    @Test
    void eachInvalidAclFailsAloneWithInvalidRequestAndTheReason() {
        List<AclBinding> acls = List.of(
                acl(AclResourceType.TOPIC, "", AclPatternType.LITERAL, "User:alice", "*"),
                acl(AclResourceType.CLUSTER, "other", AclPatternType.LITERAL, "User:alice", "*"),
                acl(AclResourceType.GROUP, "*", AclPatternType.PREFIXED, "User:alice", "*"),
                acl(AclResourceType.TOPIC, "t", AclPatternType.LITERAL, "alice", "*"),
                acl(AclResourceType.TOPIC, "t", AclPatternType.LITERAL, "User:", "*"),
                acl(AclResourceType.TOPIC, "t", AclPatternType.LITERAL, "User:alice", "example.com"),
                acl(AclResourceType.TOPIC, "t", AclPatternType.LITERAL, "User:alice", "300.1.1.1"),
                READ_ORDERS);

        ControllerResult<List<ApiError>> result = control.createAcls(MetadataImage.empty("cluster"), acls);

        assertThat(result.response()).extracting(ApiError::error).containsExactly(Errors.INVALID_REQUEST,
                Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST,
                Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.NONE);
        assertThat(result.response()).extracting(ApiError::messageOrDefault).containsExactly(
                "The resource name of an ACL must not be empty",
                "The only valid name for the CLUSTER resource is kafka-cluster, not 'other'",
                "A PREFIXED ACL cannot be named '*': a LITERAL '*' is the ACL for every GROUP",
                "Invalid principal 'alice': expected the form Type:name, such as User:alice or User:*",
                "Invalid principal 'User:': expected the form Type:name, such as User:alice or User:*",
                "Invalid host 'example.com': expected * or an IP address",
                "Invalid host '300.1.1.1': expected * or an IP address",
                Errors.NONE.message());
        assertThat(result.records()).hasSize(1);
    }

    @Test
    void wildcardsAndIpAddressesAreValid() {
        List<AclBinding> acls = List.of(
                acl(AclResourceType.TOPIC, "*", AclPatternType.LITERAL, "User:*", "*"),
                acl(AclResourceType.CLUSTER, "kafka-cluster", AclPatternType.LITERAL, "User:CN=a,O=b", "192.168.0.1"),
                acl(AclResourceType.TRANSACTIONAL_ID, "tx-", AclPatternType.PREFIXED, "User:alice", "::1"),
                acl(AclResourceType.GROUP, "g", AclPatternType.LITERAL, "Group:ops", "fe80::1:2"));

        ControllerResult<List<ApiError>> result = control.createAcls(MetadataImage.empty("cluster"), acls);

        assertThat(result.response()).containsOnly(ApiError.NONE);
    }

    @Test
    void eachFilterDeletesWhatItMatchesAndAnAclOnlyOnce() {
        AclBinding other = acl(AclResourceType.GROUP, "orders", AclPatternType.LITERAL, "User:bob", "*");
        MetadataImage image = withAcls(READ_ORDERS, READ_ORD_PREFIX, other);

        ControllerResult<List<List<AclBinding>>> result = control.deleteAcls(image, List.of(
                new AclBindingFilter(AclResourceType.TOPIC, "orders", AclPatternFilter.MATCH, null, null, null, null),
                new AclBindingFilter(null, null, AclPatternFilter.ANY, "User:alice", null, null, null),
                new AclBindingFilter(null, "nothing", AclPatternFilter.ANY, null, null, null, null)));

        assertThat(result.response()).containsExactly(List.of(READ_ORDERS, READ_ORD_PREFIX), List.of(), List.of());
        assertThat(result.records()).hasSize(2).allMatch(r -> r instanceof RemoveAccessControlEntryRecord);
        assertThat(replay(image, result.records()).acls()).containsExactly(other);
    }

    private MetadataImage withAcls(AclBinding... acls) {
        MetadataImage empty = MetadataImage.empty("cluster");
        return replay(empty, control.createAcls(empty, List.of(acls)).records());
    }

    private static MetadataImage replay(MetadataImage image, List<MetadataRecord> records) {
        MetadataDelta delta = new MetadataDelta(image);
        records.forEach(delta::replay);
        return delta.apply();
    }

    private static AclBinding acl(AclResourceType type, String name, AclPatternType pattern, String principal,
                                  String host) {
        return new AclBinding(type, name, pattern, principal, host, AclOperation.READ, AclPermission.ALLOW);
    }
}
