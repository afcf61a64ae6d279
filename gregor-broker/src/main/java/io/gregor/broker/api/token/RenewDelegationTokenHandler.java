package io.gregor.broker.api.token;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.RenewDelegationTokenRequest;
import io.gregor.protocol.message.RenewDelegationTokenResponse;
import java.util.concurrent.CompletableFuture;

/**
 * RenewDelegationToken, versions 1 and 2 (KIP-48): extends the token named by its HMAC by the
 * period asked (negative: by {@code delegation.token.expiry.time.ms}), up to its maximum lifetime,
 * decided by the active controller.
 * Only the token's owner and renewers may; others get DELEGATION_TOKEN_OWNER_MISMATCH, and a
 * client that is not authenticated or authenticated with a token
 * DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, as from Kafka.
 */
public final class RenewDelegationTokenHandler
        implements ApiHandler<RenewDelegationTokenRequest, RenewDelegationTokenResponse> {
    /** The expiry timestamp of a refused request. */
    private static final long NO_EXPIRY = -1;

    private final QuorumController controller;

    public RenewDelegationTokenHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.RENEW_DELEGATION_TOKEN.id();
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<RenewDelegationTokenResponse> handle(RequestContext context,
                                                                  RenewDelegationTokenRequest request) {
        if (!context.mayManageDelegationTokens()) {
            return CompletableFuture.completedFuture(failed(Errors.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED));
        }
        return controller.renewDelegationToken(request.hmac(), request.renewPeriodMs(), context.principal())
                .handle((expiryTimestamp, failure) -> failure != null
                        ? failed(ControllerErrors.toApiError(failure).error())
                        : new RenewDelegationTokenResponse().setErrorCode(Errors.NONE.code())
                                .setExpiryTimestampMs(expiryTimestamp));
    }

    private static RenewDelegationTokenResponse failed(Errors error) {
        return new RenewDelegationTokenResponse().setErrorCode(error.code()).setExpiryTimestampMs(NO_EXPIRY);
    }
}
