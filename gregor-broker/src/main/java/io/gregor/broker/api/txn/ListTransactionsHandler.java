package io.gregor.broker.api.txn;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.txn.coordinator.TransactionCoordinator;
import io.gregor.broker.txn.coordinator.TransactionMetadata;
import io.gregor.broker.txn.coordinator.TransactionState;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ListTransactionsRequest;
import io.gregor.protocol.message.ListTransactionsResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * ListTransactions: the transactional ids this broker coordinates, filtered by state, producer id,
 * how long their transaction has run (v1+) and a regular expression on the id (v2+, KIP-1152).
 * State names this broker does not know are reported back rather than failing the request. Only
 * the ids the principal may describe are listed.
 */
public final class ListTransactionsHandler implements ApiHandler<ListTransactionsRequest, ListTransactionsResponse> {
    private final TransactionCoordinator coordinator;
    private final Clock clock;

    public ListTransactionsHandler(TransactionCoordinator coordinator, Clock clock) {
        this.coordinator = coordinator;
        this.clock = clock;
    }

    @Override
    public short apiKey() {
        return ApiKey.LIST_TRANSACTIONS.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<ListTransactionsResponse> handle(RequestContext context, ListTransactionsRequest request) {
        Pattern pattern;
        try {
            String regex = request.transactionalIdPattern();
            pattern = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return CompletableFuture.completedFuture(new ListTransactionsResponse()
                    .setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
        }
        Set<TransactionState> states = new HashSet<>();
        List<String> unknownStates = new ArrayList<>();
        for (String name : request.stateFilters()) {
            TransactionState.ofWireName(name).ifPresentOrElse(states::add, () -> unknownStates.add(name));
        }
        Set<Long> producerIds = new HashSet<>(request.producerIdFilters());
        long minDurationMs = request.durationFilter();
        return coordinator.listTransactions().thenApply(listing -> {
            long now = clock.millis();
            ListTransactionsResponse response = new ListTransactionsResponse()
                    .setErrorCode(listing.error().code())
                    .setUnknownStateFilters(unknownStates);
            for (TransactionMetadata txn : listing.transactions()) {
                boolean matches = (request.stateFilters().isEmpty() || states.contains(txn.state()))
                        && (producerIds.isEmpty() || producerIds.contains(txn.producerId()))
                        && (minDurationMs < 0 || (txn.startTimeMs() >= 0 && now - txn.startTimeMs() > minDurationMs))
                        && (pattern == null || pattern.matcher(txn.transactionalId()).matches())
                        && context.authorized(AclOperation.DESCRIBE, AclResourceType.TRANSACTIONAL_ID,
                                txn.transactionalId());
                if (matches) {
                    response.transactionStates().add(new ListTransactionsResponse.TransactionState()
                            .setTransactionalId(txn.transactionalId())
                            .setProducerId(txn.producerId())
                            .setTransactionState(txn.state().wireName()));
                }
            }
            return response;
        });
    }
}
