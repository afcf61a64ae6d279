package io.gregor.broker.api.token;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.CreatedDelegationToken;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.token.DelegationToken;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.CreateDelegationTokenRequest;
import io.gregor.protocol.message.CreateDelegationTokenRequest.CreatableRenewers;
import io.gregor.protocol.message.CreateDelegationTokenResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * CreateDelegationToken, versions 1 to 3 (KIP-48; version 3 names an owner other than the
 * requester, KIP-373), decided by the active controller. Refused, as by Kafka, with
 * DELEGATION_TOKEN_REQUEST_NOT_ALLOWED to a client that is not authenticated or authenticated with a
 * token; with DELEGATION_TOKEN_AUTHORIZATION_FAILED when the owner is another principal and the
 * requester may not CREATE_TOKENS on that User resource; with INVALID_PRINCIPAL_TYPE for a renewer
 * that is not a User.
 */
public final class CreateDelegationTokenHandler
        implements ApiHandler<CreateDelegationTokenRequest, CreateDelegationTokenResponse> {
    private final QuorumController controller;

    public CreateDelegationTokenHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.CREATE_DELEGATION_TOKEN.id();
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
    public CompletableFuture<CreateDelegationTokenResponse> handle(RequestContext context,
                                                                   CreateDelegationTokenRequest request) {
        String requester = context.principal();
        String owner = owner(request, requester);
        CreateDelegationTokenResponse response = new CreateDelegationTokenResponse()
                .setPrincipalType(Principals.type(owner))
                .setPrincipalName(Principals.name(owner))
                .setTokenRequesterPrincipalType(Principals.type(requester))
                .setTokenRequesterPrincipalName(Principals.name(requester));
        if (!context.mayManageDelegationTokens()) {
            return failed(response, Errors.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED);
        }
        if (!owner.equals(requester) && !context.authorized(AclOperation.CREATE_TOKENS, AclResourceType.USER, owner)) {
            return failed(response, Errors.DELEGATION_TOKEN_AUTHORIZATION_FAILED);
        }
        List<String> renewers = new ArrayList<>();
        for (CreatableRenewers renewer : request.renewers()) {
            if (!Principals.USER_TYPE.equals(renewer.principalType())) {
                return failed(response, Errors.INVALID_PRINCIPAL_TYPE);
            }
            renewers.add(Principals.of(renewer.principalType(), renewer.principalName()));
        }
        return controller.createDelegationToken(owner, requester, renewers, request.maxLifetimeMs())
                .handle((created, failure) -> failure != null
                        ? response.setErrorCode(ControllerErrors.toApiError(failure).error().code())
                        : described(response, created));
    }

    /** The owner the request names (version 3), else the requester. */
    private static String owner(CreateDelegationTokenRequest request, String requester) {
        String name = request.ownerPrincipalName();
        if (name == null || name.isEmpty()) {
            return requester;
        }
        String type = request.ownerPrincipalType();
        return Principals.of(type == null || type.isEmpty() ? Principals.USER_TYPE : type, name);
    }

    private static CreateDelegationTokenResponse described(CreateDelegationTokenResponse response,
                                                           CreatedDelegationToken created) {
        DelegationToken token = created.token();
        return response.setErrorCode(Errors.NONE.code())
                .setTokenId(token.tokenId())
                .setHmac(created.hmac())
                .setIssueTimestampMs(token.issueTimestamp())
                .setExpiryTimestampMs(token.expiryTimestamp())
                .setMaxTimestampMs(token.maxTimestamp());
    }

    private static CompletableFuture<CreateDelegationTokenResponse> failed(CreateDelegationTokenResponse response,
                                                                           Errors error) {
        return CompletableFuture.completedFuture(response.setErrorCode(error.code()));
    }
}
