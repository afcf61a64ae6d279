package io.gregor.broker.api.token;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.token.DelegationToken;
import io.gregor.metadata.token.TokenHmac;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeDelegationTokenRequest;
import io.gregor.protocol.message.DescribeDelegationTokenResponse;
import io.gregor.protocol.message.DescribeDelegationTokenResponse.DescribedDelegationToken;
import io.gregor.protocol.message.DescribeDelegationTokenResponse.DescribedDelegationTokenRenewer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeDelegationToken, versions 1 to 3 (KIP-48), answered from this node's metadata image:
 * the tokens of the owners asked for (null: of everyone; an empty list: none), with their HMACs.
 * As in Kafka, a client sees the tokens it owns, requested or may renew, those it may DESCRIBE as
 * DELEGATION_TOKEN resources, and those of owners it may DESCRIBE_TOKENS of as User resources;
 * tokens past their expiry show until the controller removes them.
 */
public final class DescribeDelegationTokenHandler
        implements ApiHandler<DescribeDelegationTokenRequest, DescribeDelegationTokenResponse> {
    private final QuorumController controller;
    private final Optional<TokenHmac> hmac;

    /** @param hmac the HMAC of delegation.token.secret.key; empty when tokens are disabled */
    public DescribeDelegationTokenHandler(QuorumController controller, Optional<TokenHmac> hmac) {
        this.controller = controller;
        this.hmac = hmac;
    }

    @Override
    public short apiKey() {
        return ApiKey.DESCRIBE_DELEGATION_TOKEN.id();
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
    public CompletableFuture<DescribeDelegationTokenResponse> handle(RequestContext context,
                                                                     DescribeDelegationTokenRequest request) {
        DescribeDelegationTokenResponse response = new DescribeDelegationTokenResponse();
        if (!context.mayManageDelegationTokens()) {
            return CompletableFuture.completedFuture(
                    response.setErrorCode(Errors.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED.code()));
        }
        if (hmac.isEmpty()) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.DELEGATION_TOKEN_AUTH_DISABLED.code()));
        }
        Optional<List<String>> owners = Optional.ofNullable(request.owners()).map(list -> list.stream()
                .map(owner -> Principals.of(owner.principalType(), owner.principalName())).toList());
        List<DescribedDelegationToken> described = new ArrayList<>();
        for (DelegationToken token : controller.image().delegationTokens().values()) {
            if (asked(token, owners) && visible(context, token)) {
                described.add(described(token, hmac.get()));
            }
        }
        return CompletableFuture.completedFuture(response.setErrorCode(Errors.NONE.code()).setTokens(described));
    }

    /** Whether the request asks for the token: no owners named, or one of them owns, requested or renews it. */
    private static boolean asked(DelegationToken token, Optional<List<String>> owners) {
        return owners.isEmpty() || owners.get().stream().anyMatch(token::concerns);
    }

    private static boolean visible(RequestContext context, DelegationToken token) {
        return token.concerns(context.principal())
                || context.authorized(AclOperation.DESCRIBE, AclResourceType.DELEGATION_TOKEN, token.tokenId())
                || context.authorized(AclOperation.DESCRIBE_TOKENS, AclResourceType.USER, token.owner());
    }

    private static DescribedDelegationToken described(DelegationToken token, TokenHmac hmac) {
        List<DescribedDelegationTokenRenewer> renewers = token.renewers().stream()
                .map(renewer -> new DescribedDelegationTokenRenewer()
                        .setPrincipalType(Principals.type(renewer))
                        .setPrincipalName(Principals.name(renewer)))
                .toList();
        return new DescribedDelegationToken()
                .setPrincipalType(Principals.type(token.owner()))
                .setPrincipalName(Principals.name(token.owner()))
                .setTokenRequesterPrincipalType(Principals.type(token.requester()))
                .setTokenRequesterPrincipalName(Principals.name(token.requester()))
                .setIssueTimestamp(token.issueTimestamp())
                .setExpiryTimestamp(token.expiryTimestamp())
                .setMaxTimestamp(token.maxTimestamp())
                .setTokenId(token.tokenId())
                .setHmac(hmac.of(token.tokenId()))
                .setRenewers(new ArrayList<>(renewers));
    }
}
