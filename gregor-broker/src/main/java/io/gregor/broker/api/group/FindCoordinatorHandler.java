package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.broker.txn.coordinator.TransactionCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.FindCoordinatorRequest;
import io.gregor.protocol.message.FindCoordinatorResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * FindCoordinator: which broker coordinates a group or a transactional id. Versions 0-3 ask for
 * one key, 4+ for several at once. Group keys are answered by the group coordinator (which
 * creates {@code __consumer_offsets} on first use), transaction keys by the transaction
 * coordinator (which creates {@code __transaction_state} on first use); key types this broker
 * does not know answer INVALID_REQUEST. Each key needs DESCRIBE on its group or transactional id.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse> {
    private static final byte GROUP_KEY_TYPE = 0;
    private static final byte TRANSACTION_KEY_TYPE = 1;
    private static final short FIRST_BATCHED_VERSION = 4;

    private final GroupCoordinator coordinator;
    private final TransactionCoordinator transactions;

    public FindCoordinatorHandler(GroupCoordinator coordinator, TransactionCoordinator transactions) {
        this.coordinator = coordinator;
        this.transactions = transactions;
    }

    @Override
    public short apiKey() {
        return ApiKey.FIND_COORDINATOR.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 6;
    }

    @Override
    public CompletableFuture<FindCoordinatorResponse> handle(RequestContext context, FindCoordinatorRequest request) {
        boolean batched = context.apiVersion() >= FIRST_BATCHED_VERSION;
        List<String> keys = batched ? request.coordinatorKeys() : List.of(request.key());
        List<CompletableFuture<FindCoordinatorResponse.Coordinator>> answers = new ArrayList<>();
        for (String key : keys) {
            answers.add(locate(context, request.keyType(), key));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            FindCoordinatorResponse response = new FindCoordinatorResponse();
            List<FindCoordinatorResponse.Coordinator> coordinators = answers.stream().map(CompletableFuture::join)
                    .toList();
            if (batched) {
                response.coordinators().addAll(coordinators);
            } else {
                FindCoordinatorResponse.Coordinator only = coordinators.get(0);
                response.setErrorCode(only.errorCode())
                        .setErrorMessage(only.errorMessage())
                        .setNodeId(only.nodeId())
                        .setHost(only.host())
                        .setPort(only.port());
            }
            return response;
        });
    }

    private CompletableFuture<FindCoordinatorResponse.Coordinator> locate(RequestContext context, byte keyType,
                                                                         String key) {
        FindCoordinatorResponse.Coordinator answer = new FindCoordinatorResponse.Coordinator().setKey(key);
        // Checked before anything else: the coordinator would create its internal topic on first use.
        if (keyType == GROUP_KEY_TYPE && !context.authorized(AclOperation.DESCRIBE, AclResourceType.GROUP, key)) {
            return CompletableFuture.completedFuture(failed(answer, Errors.GROUP_AUTHORIZATION_FAILED, null));
        }
        if (keyType == TRANSACTION_KEY_TYPE
                && !context.authorized(AclOperation.DESCRIBE, AclResourceType.TRANSACTIONAL_ID, key)) {
            return CompletableFuture.completedFuture(failed(answer, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, null));
        }
        if (keyType == TRANSACTION_KEY_TYPE) {
            if (key == null || key.isEmpty()) {
                return CompletableFuture.completedFuture(failed(answer, Errors.INVALID_REQUEST,
                        "A transactional id may not be empty"));
            }
            return transactions.locate(key, context.listenerName()).thenApply(location ->
                    answer(answer, location.error(), location.nodeId(), location.host(), location.port()));
        }
        if (keyType != GROUP_KEY_TYPE) {
            return CompletableFuture.completedFuture(failed(answer, Errors.INVALID_REQUEST,
                    "Unknown coordinator key type " + keyType));
        }
        return coordinator.locate(key, context.listenerName()).thenApply(location ->
                answer(answer, location.error(), location.nodeId(), location.host(), location.port()));
    }

    private static FindCoordinatorResponse.Coordinator answer(FindCoordinatorResponse.Coordinator answer,
                                                             Errors error, int nodeId, String host, int port) {
        return error == Errors.NONE
                ? answer.setNodeId(nodeId).setHost(host).setPort(port).setErrorCode(Errors.NONE.code())
                : failed(answer, error, null);
    }

    private static FindCoordinatorResponse.Coordinator failed(FindCoordinatorResponse.Coordinator answer, Errors error,
                                                             String message) {
        return answer.setErrorCode(error.code()).setErrorMessage(message).setNodeId(-1).setHost("").setPort(-1);
    }
}
