package io.gregor.broker.api.acl;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclBindingFilter;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeAclsRequest;
import io.gregor.protocol.message.DescribeAclsResponse;
import io.gregor.protocol.message.DescribeAclsResponse.AclDescription;
import io.gregor.protocol.message.DescribeAclsResponse.DescribeAclsResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeAcls, versions 1 to 3 (KIP-11, KIP-290): the ACLs the filter matches, grouped by
 * resource pattern in the order they were created. Answered from the latest committed image
 * without queueing behind the controller.
 */
public final class DescribeAclsHandler implements ApiHandler<DescribeAclsRequest, DescribeAclsResponse> {
    private final QuorumController controller;

    public DescribeAclsHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.DESCRIBE_ACLS.id();
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<DescribeAclsResponse> handle(RequestContext context, DescribeAclsRequest request) {
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(new DescribeAclsResponse()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("Not authorized to describe ACLs")
                    .setResources(List.of()));
        }
        AclBindingFilter filter;
        try {
            filter = AclCodes.filter(request.resourceTypeFilter(), request.resourceNameFilter(),
                    request.patternTypeFilter(), request.principalFilter(), request.hostFilter(), request.operation(),
                    request.permissionType());
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(new DescribeAclsResponse()
                    .setErrorCode(e.error().code())
                    .setErrorMessage(e.getMessage())
                    .setResources(List.of()));
        }
        Map<Pattern, List<AclDescription>> byPattern = new LinkedHashMap<>();
        for (AclBinding acl : controller.image().acls()) {
            if (filter.matches(acl)) {
                byPattern.computeIfAbsent(new Pattern(acl), p -> new ArrayList<>()).add(new AclDescription()
                        .setPrincipal(acl.principal())
                        .setHost(acl.host())
                        .setOperation(acl.operation().code())
                        .setPermissionType(acl.permission().code()));
            }
        }
        List<DescribeAclsResource> resources = new ArrayList<>();
        byPattern.forEach((pattern, acls) -> resources.add(new DescribeAclsResource()
                .setResourceType(pattern.resourceType)
                .setResourceName(pattern.resourceName)
                .setPatternType(pattern.patternType)
                .setAcls(acls)));
        return CompletableFuture.completedFuture(new DescribeAclsResponse()
                .setErrorCode(Errors.NONE.code())
                .setResources(resources));
    }

    /** The resource pattern of an ACL, by wire codes: what the response groups ACLs by. */
    private record Pattern(byte resourceType, String resourceName, byte patternType) {
        Pattern(AclBinding acl) {
            this(acl.resourceType().code(), acl.resourceName(), acl.patternType().code());
        }
    }
}
