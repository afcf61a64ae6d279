package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.FindCoordinatorRequest;
import io.gregor.protocol.message.FindCoordinatorResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * FindCoordinator: which broker coordinates a group. Versions 0-3 ask for one key, 4+ for
 * several at once. Group keys are answered by the group coordinator (which creates
 * {@code __consumer_offsets} on first use); transaction coordinators do not exist yet, so those
 * keys answer COORDINATOR_NOT_AVAILABLE, as do key types this broker does not know.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse> {
    private static final byte GROUP_KEY_TYPE = 0;
    private static final short FIRST_BATCHED_VERSION = 4;

    private final GroupCoordinator coordinator;

    public FindCoordinatorHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
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
        if (keyType != GROUP_KEY_TYPE) {
            return CompletableFuture.completedFuture(failed(answer, Errors.COORDINATOR_NOT_AVAILABLE,
                    "This broker has no coordinator for key type " + keyType));
        }
        return coordinator.locate(key, context.listenerName()).thenApply(location -> location.error() == Errors.NONE
                ? answer.setNodeId(location.nodeId()).setHost(location.host()).setPort(location.port())
                        .setErrorCode(Errors.NONE.code())
                : failed(answer, location.error(), null));
    }

    private static FindCoordinatorResponse.Coordinator failed(FindCoordinatorResponse.Coordinator answer, Errors error,
                                                             String message) {
        return answer.setErrorCode(error.code()).setErrorMessage(message).setNodeId(-1).setHost("").setPort(-1);
    }
}
