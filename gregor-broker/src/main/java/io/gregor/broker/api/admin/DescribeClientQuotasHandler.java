package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.quota.ClientQuotaEntity;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeClientQuotasRequest;
import io.gregor.protocol.message.DescribeClientQuotasResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeClientQuotas, versions 0-1 (KIP-546): the quotas set on the entities a filter matches,
 * answered from the latest committed image. Each filter component names an entity type and
 * matches its exact name, its default, or any name; with {@code strict} an entity must have no
 * other part, else it may. Needs DESCRIBE_CONFIGS on the cluster, as in Kafka.
 */
public final class DescribeClientQuotasHandler
        implements ApiHandler<DescribeClientQuotasRequest, DescribeClientQuotasResponse> {
    /** The match types of a filter component, as the wire codes them. */
    private static final byte MATCH_EXACT = 0;
    private static final byte MATCH_DEFAULT = 1;
    private static final byte MATCH_ANY = 2;

    private final QuorumController controller;

    public DescribeClientQuotasHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.DESCRIBE_CLIENT_QUOTAS.id();
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
    public CompletableFuture<DescribeClientQuotasResponse> handle(RequestContext context,
                                                                  DescribeClientQuotasRequest request) {
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE_CONFIGS)) {
            return CompletableFuture.completedFuture(failed(Errors.CLUSTER_AUTHORIZATION_FAILED,
                    "Not authorized to describe client quotas"));
        }
        Map<String, DescribeClientQuotasRequest.ComponentData> components = new HashMap<>();
        try {
            for (DescribeClientQuotasRequest.ComponentData component : request.components()) {
                ClientQuotaEntities.checkType(component.entityType());
                if (component.matchType() < MATCH_EXACT || component.matchType() > MATCH_ANY) {
                    throw new ApiException(Errors.INVALID_REQUEST, "Unknown match type " + component.matchType()
                            + " for entity type " + component.entityType());
                }
                if (components.put(component.entityType(), component) != null) {
                    throw new ApiException(Errors.INVALID_REQUEST, "The filter names entity type "
                            + component.entityType() + " more than once");
                }
            }
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(failed(e.error(), e.getMessage()));
        }
        List<DescribeClientQuotasResponse.EntryData> entries = new ArrayList<>();
        controller.image().clientQuotas().forEach((entity, values) -> {
            if (matches(entity, components, request.strict())) {
                entries.add(entry(entity, values));
            }
        });
        return CompletableFuture.completedFuture(new DescribeClientQuotasResponse()
                .setErrorCode(Errors.NONE.code())
                .setEntries(entries));
    }

    private static boolean matches(ClientQuotaEntity entity,
                                   Map<String, DescribeClientQuotasRequest.ComponentData> components, boolean strict) {
        return matches(entity.user(), components.get(ClientQuotaEntity.USER), strict)
                && matches(entity.clientId(), components.get(ClientQuotaEntity.CLIENT_ID), strict);
    }

    /** Whether an entity's part passes the filter's component for its type (null when the filter has none). */
    private static boolean matches(Optional<ClientQuotaEntity.Name> part,
                                   DescribeClientQuotasRequest.ComponentData component, boolean strict) {
        if (component == null) {
            return !strict || part.isEmpty();
        }
        if (part.isEmpty()) {
            return false;
        }
        return switch (component.matchType()) {
            case MATCH_EXACT -> component.match() != null && part.get().name().filter(component.match()::equals)
                    .isPresent();
            case MATCH_DEFAULT -> part.get().isDefault();
            default -> true;
        };
    }

    private static DescribeClientQuotasResponse.EntryData entry(ClientQuotaEntity entity, Map<String, Double> values) {
        List<DescribeClientQuotasResponse.ValueData> wireValues = new ArrayList<>();
        values.forEach((key, value) -> wireValues.add(new DescribeClientQuotasResponse.ValueData()
                .setKey(key).setValue(value)));
        return new DescribeClientQuotasResponse.EntryData()
                .setEntity(ClientQuotaEntities.toWire(entity, (type, name) ->
                        new DescribeClientQuotasResponse.EntityData().setEntityType(type).setEntityName(name)))
                .setValues(wireValues);
    }

    private static DescribeClientQuotasResponse failed(Errors error, String message) {
        return new DescribeClientQuotasResponse().setErrorCode(error.code()).setErrorMessage(message)
                .setEntries(null);
    }
}
