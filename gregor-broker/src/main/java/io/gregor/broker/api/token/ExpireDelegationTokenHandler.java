package io.gregor.broker.api.token;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ExpireDelegationTokenRequest;
import io.gregor.protocol.message.ExpireDelegationTokenResponse;
import java.util.concurrent.CompletableFuture;

/**
 * ExpireDelegationToken, versions 1 and 2 (KIP-48): sets the token named by its HMAC to expire
 * after the period asked, or removes it at once for a negative period, decided by the active
 * controller.
 * Only the token's owner and renewers may; others get DELEGATION_TOKEN_OWNER_MISMATCH, and a
 * client that is not authenticated or authenticated with a token
 * DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, as from Kafka.
 */
public final class ExpireDelegationTokenHandler
        implements ApiHandler<ExpireDelegationTokenRequest, ExpireDelegationTokenResponse> {
    /** The expiry timestamp of a refused request. */
    private static final long NO_EXPIRY = -1;

    private final QuorumController controller;

    public ExpireDelegationTokenHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.EXPIRE_DELEGATION_TOKEN.id();
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
    public CompletableFuture<ExpireDelegationTokenResponse> handle(RequestContext context,
                                                                  ExpireDelegationTokenRequest request) {
        if (!context.mayManageDelegationTokens()) {
            return CompletableFuture.completedFuture(failed(Errors.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED));
        }
        return controller.expireDelegationToken(request.hmac(), request.expiryTimePeriodMs(), context.principal())
                .handle((expiryTimestamp, failure) -> failure != null
                        ? failed(ControllerErrors.toApiError(failure).error())
                        : new ExpireDelegationTokenResponse().setErrorCode(Errors.NONE.code())
                                .setExpiryTimestampMs(expiryTimestamp));
    }

    private static ExpireDelegationTokenResponse failed(Errors error) {
        return new ExpireDelegationTokenResponse().setErrorCode(error.code()).setExpiryTimestampMs(NO_EXPIRY);
    }
}
