package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.ClientQuotaAlteration;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AlterClientQuotasRequest;
import io.gregor.protocol.message.AlterClientQuotasResponse;
import io.gregor.protocol.message.ApiKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;

/**
 * AlterClientQuotas, versions 0-1 (KIP-546): sets and removes the quotas of users and client ids
 * through the controller, one result per entry, in request order. An entry whose entity is not
 * valid fails alone, before the controller sees the others; validate_only checks without writing.
 * Needs ALTER_CONFIGS on the cluster, as in Kafka.
 */
public final class AlterClientQuotasHandler implements ApiHandler<AlterClientQuotasRequest, AlterClientQuotasResponse> {
    private final QuorumController controller;

    public AlterClientQuotasHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.ALTER_CLIENT_QUOTAS.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<AlterClientQuotasResponse> handle(RequestContext context,
                                                               AlterClientQuotasRequest request) {
        List<AlterClientQuotasRequest.EntryData> entries = request.entries();
        ApiError[] outcomes = new ApiError[entries.size()];
        if (!context.authorizedOnCluster(AclOperation.ALTER_CONFIGS)) {
            Arrays.fill(outcomes, ApiError.of(Errors.CLUSTER_AUTHORIZATION_FAILED,
                    "Not authorized to alter client quotas"));
            return CompletableFuture.completedFuture(response(entries, outcomes));
        }
        // The entries the controller decides, and where each one's outcome goes.
        List<ClientQuotaAlteration> alterations = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                alterations.add(alteration(entries.get(i)));
                positions.add(i);
            } catch (ApiException e) {
                outcomes[i] = ApiError.of(e.error(), e.getMessage());
            }
        }
        if (alterations.isEmpty()) {
            return CompletableFuture.completedFuture(response(entries, outcomes));
        }
        return controller.alterClientQuotas(alterations, request.validateOnly()).handle((decided, failure) -> {
            for (int i = 0; i < positions.size(); i++) {
                outcomes[positions.get(i)] = failure == null ? decided.get(i) : ControllerErrors.toApiError(failure);
            }
            return response(entries, outcomes);
        });
    }

    private static ClientQuotaAlteration alteration(AlterClientQuotasRequest.EntryData entry) {
        Map<String, String> parts = new HashMap<>();
        entry.entity().forEach(part -> parts.put(part.entityType(), part.entityName()));
        List<ClientQuotaAlteration.Op> ops = entry.ops().stream()
                .map(op -> new ClientQuotaAlteration.Op(op.key(),
                        op.remove() ? OptionalDouble.empty() : OptionalDouble.of(op.value())))
                .toList();
        return new ClientQuotaAlteration(ClientQuotaEntities.fromWire(parts, entry.entity().size()), ops);
    }

    private static AlterClientQuotasResponse response(List<AlterClientQuotasRequest.EntryData> entries,
                                                      ApiError[] outcomes) {
        List<AlterClientQuotasResponse.EntryData> results = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            results.add(new AlterClientQuotasResponse.EntryData()
                    .setErrorCode(outcomes[i].error().code())
                    .setErrorMessage(ControllerErrors.wireMessage(outcomes[i]))
                    .setEntity(entries.get(i).entity().stream()
                            .map(part -> new AlterClientQuotasResponse.EntityData()
                                    .setEntityType(part.entityType())
                                    .setEntityName(part.entityName()))
                            .toList()));
        }
        return new AlterClientQuotasResponse().setEntries(results);
    }
}
