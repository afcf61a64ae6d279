package io.gregor.broker.api.acl;

import static io.gregor.broker.api.admin.MetadataFixture.context;
import static io.gregor.broker.api.admin.MetadataFixture.overTheWire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.gregor.broker.api.admin.MetadataFixture;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclPatternFilter;
import io.gregor.metadata.acl.AclPatternType;
import io.gregor.metadata.acl.AclPermission;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.CreateAclsRequest;
import io.gregor.protocol.message.CreateAclsRequest.AclCreation;
import io.gregor.protocol.message.CreateAclsResponse;
import io.gregor.protocol.message.CreateAclsResponse.AclCreationResult;
import io.gregor.protocol.message.DeleteAclsRequest;
import io.gregor.protocol.message.DeleteAclsRequest.DeleteAclsFilter;
import io.gregor.protocol.message.DeleteAclsResponse;
import io.gregor.protocol.message.DeleteAclsResponse.DeleteAclsFilterResult;
import io.gregor.protocol.message.DeleteAclsResponse.DeleteAclsMatchingAcl;
import io.gregor.protocol.message.DescribeAclsRequest;
import io.gregor.protocol.message.DescribeAclsResponse;
import io.gregor.protocol.message.DescribeAclsResponse.AclDescription;
import io.gregor.protocol.message.DescribeAclsResponse.DescribeAclsResource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclHandlersTest {
    private static final byte ANY = 1;
    private static final byte TOPIC = AclResourceType.TOPIC.code();
    private static final byte LITERAL = AclPatternType.LITERAL.code();
    private static final byte PREFIXED = AclPatternType.PREFIXED.code();
    private static final byte READ = AclOperation.READ.code();
    private static final byte WRITE = AclOperation.WRITE.code();
    private static final byte ALLOW = AclPermission.ALLOW.code();

    @TempDir
    Path dataDir;
    private MetadataFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MetadataFixture(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void createdAclsAreDescribedGroupedByResourcePattern() {
        List<AclCreationResult> created = create(3, creation(TOPIC, "orders", LITERAL, READ),
                creation(TOPIC, "orders", LITERAL, WRITE), creation(TOPIC, "ord", PREFIXED, READ),
                creation(TOPIC, "orders", LITERAL, READ));

        assertThat(created).extracting(AclCreationResult::errorCode).containsOnly(Errors.NONE.code());
        DescribeAclsResponse all = describe(1, anyAcl());
        assertThat(all.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(all.resources()).extracting(DescribeAclsResource::resourceName, DescribeAclsResource::patternType)
                .containsExactly(tuple("orders", LITERAL), tuple("ord", PREFIXED));
        assertThat(all.resources().get(0).acls()).extracting(AclDescription::principal, AclDescription::operation)
                .containsExactly(tuple("User:alice", READ), tuple("User:alice", WRITE));
    }

    @Test
    void describeWithMatchFindsTheAclsThatApplyToAResource() {
        create(3, creation(TOPIC, "orders", LITERAL, READ), creation(TOPIC, "ord", PREFIXED, READ),
                creation(TOPIC, "pay", PREFIXED, READ));

        DescribeAclsResponse matching = describe(3, anyAcl().setResourceTypeFilter(TOPIC)
                .setResourceNameFilter("orders").setPatternTypeFilter(AclPatternFilter.MATCH.code())
                .setPrincipalFilter("User:alice").setOperation(READ).setPermissionType(ALLOW));

        assertThat(matching.resources()).extracting(DescribeAclsResource::resourceName).containsExactly("orders", "ord");
    }

    @Test
    void invalidCodesAndBindingsFailAloneWithInvalidRequest() {
        List<AclCreationResult> created = create(2, creation((byte) 0, "orders", LITERAL, READ),
                creation(TOPIC, "orders", AclPatternFilter.MATCH.code(), READ),
                creation(TOPIC, "orders", LITERAL, READ).setPrincipal("alice"),
                creation(TOPIC, "orders", LITERAL, READ));

        assertThat(created).extracting(AclCreationResult::errorCode, AclCreationResult::errorMessage).containsExactly(
                tuple(Errors.INVALID_REQUEST.code(), "Invalid ACL resource type code 0"),
                tuple(Errors.INVALID_REQUEST.code(), "Invalid ACL pattern type code 2"),
                tuple(Errors.INVALID_REQUEST.code(),
                        "Invalid principal 'alice': expected the form Type:name, such as User:alice or User:*"),
                tuple(Errors.NONE.code(), null));
        DescribeAclsResponse unknown = describe(2, anyAcl().setResourceTypeFilter((byte) 0));
        assertThat(unknown.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(unknown.errorMessage()).isEqualTo("Invalid ACL resource type code 0");
    }

    @Test
    void deleteAnswersPerFilterWhatItDeleted() {
        create(3, creation(TOPIC, "orders", LITERAL, READ), creation(TOPIC, "orders", LITERAL, WRITE),
                creation(TOPIC, "ord", PREFIXED, READ));

        DeleteAclsResponse response = new DeleteAclsHandler(fixture.controller())
                .handle(context(ApiKey.DELETE_ACLS, 3), overTheWire(new DeleteAclsRequest().setFilters(List.of(
                        filter(TOPIC, "orders", LITERAL, WRITE),
                        filter((byte) 9, null, LITERAL, ANY),
                        filter(ANY, null, PREFIXED, ANY))), 3)).join();

        List<DeleteAclsFilterResult> results = response.filterResults();
        assertThat(results).extracting(DeleteAclsFilterResult::errorCode).containsExactly(Errors.NONE.code(),
                Errors.INVALID_REQUEST.code(), Errors.NONE.code());
        assertThat(results.get(0).matchingAcls()).extracting(DeleteAclsMatchingAcl::resourceName,
                DeleteAclsMatchingAcl::operation).containsExactly(tuple("orders", WRITE));
        assertThat(results.get(2).matchingAcls()).extracting(DeleteAclsMatchingAcl::resourceName,
                DeleteAclsMatchingAcl::patternType).containsExactly(tuple("ord", PREFIXED));
        assertThat(fixture.controller().image().acls()).hasSize(1);
    }

    private List<AclCreationResult> create(int version, AclCreation... creations) {
        CreateAclsResponse response = new CreateAclsHandler(fixture.controller())
                .handle(context(ApiKey.CREATE_ACLS, version),
                        overTheWire(new CreateAclsRequest().setCreations(List.of(creations)), version))
                .join();
        return overTheWire(response, version).results();
    }

    private DescribeAclsResponse describe(int version, DescribeAclsRequest request) {
        DescribeAclsResponse response = new DescribeAclsHandler(fixture.controller())
                .handle(context(ApiKey.DESCRIBE_ACLS, version), overTheWire(request, version)).join();
        return overTheWire(response, version);
    }

    /** A filter for every ACL: the strings null, as Kafka's clients send ANY (the generated default is ""). */
    private static DescribeAclsRequest anyAcl() {
        return new DescribeAclsRequest().setResourceTypeFilter(ANY).setResourceNameFilter(null)
                .setPatternTypeFilter(AclPatternFilter.ANY.code()).setPrincipalFilter(null).setHostFilter(null)
                .setOperation(ANY).setPermissionType(ANY);
    }

    private static AclCreation creation(byte type, String name, byte pattern, byte operation) {
        return new AclCreation().setResourceType(type).setResourceName(name).setResourcePatternType(pattern)
                .setPrincipal("User:alice").setHost("*").setOperation(operation).setPermissionType(ALLOW);
    }

    private static DeleteAclsFilter filter(byte type, String name, byte pattern, byte operation) {
        return new DeleteAclsFilter().setResourceTypeFilter(type).setResourceNameFilter(name)
                .setPatternTypeFilter(pattern).setPrincipalFilter(null).setHostFilter(null).setOperation(operation)
                .setPermissionType(ANY);
    }
}
