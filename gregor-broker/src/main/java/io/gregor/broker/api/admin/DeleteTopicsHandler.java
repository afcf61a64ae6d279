package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.quota.MutationQuota;
import io.gregor.broker.quota.MutationQuotas;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.DeleteTopicResult;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.control.TopicReference;
import io.gregor.metadata.image.TopicImage;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DeleteTopicsRequest;
import io.gregor.protocol.message.DeleteTopicsResponse;
import io.gregor.protocol.message.DeleteTopicsResponse.DeletableTopicResult;
import io.gregor.protocol.wire.WireFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteTopics, versions 1-6: by name (v1-5, and v6 entries with a name) or by topic id (v6).
 * An entry naming both, neither, or a topic already named earlier in the request is INVALID_REQUEST.
 * With {@code delete.topic.enable=false} every entry is TOPIC_DELETION_DISABLED. A deleted topic's
 * partitions count against the client's controller_mutation_rate ({@link MutationQuota}): from v5
 * a topic the quota does not admit fails with THROTTLING_QUOTA_EXCEEDED; before, it is deleted and
 * the client throttled.
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequest, DeleteTopicsResponse> {
    private static final short FIRST_VERSION_WITH_IDS = 6;
    private static final short FIRST_VERSION_REFUSING_OVER_QUOTA = 5;

    private final QuorumController controller;
    private final boolean deleteTopicEnable;
    private final MutationQuotas mutationQuotas;

    /**
     * @param deleteTopicEnable {@code delete.topic.enable}: when false every deletion is TOPIC_DELETION_DISABLED
     * @param mutationQuotas the controller_mutation_rate quotas
     */
    public DeleteTopicsHandler(QuorumController controller, boolean deleteTopicEnable, MutationQuotas mutationQuotas) {
        this.controller = controller;
        this.deleteTopicEnable = deleteTopicEnable;
        this.mutationQuotas = mutationQuotas;
    }

    @Override
    public short apiKey() {
        return ApiKey.DELETE_TOPICS.id();
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 6;
    }

    @Override
    public CompletableFuture<DeleteTopicsResponse> handle(RequestContext context, DeleteTopicsRequest request) {
        MutationQuota quota = mutationQuotas.forRequest(context.userName(), context.clientId(),
                context.apiVersion() >= FIRST_VERSION_REFUSING_OVER_QUOTA);
        List<Entry> entries = admitted(quota, deleteTopicEnable ? authorized(context, entries(context.apiVersion(), request))
                : disabled(entries(context.apiVersion(), request)));
        List<Entry> valid = entries.stream().filter(e -> e.error.isEmpty()).toList();
        return controller.deleteTopics(valid.stream().map(Entry::reference).toList()).handle((results, failure) -> {
            List<DeletableTopicResult> responses = new ArrayList<>();
            int next = 0;
            int mutations = 0;
            for (Entry entry : entries) {
                if (entry.error.isPresent()) {
                    responses.add(result(entry.reference.topicName(), entry.reference.topicId(), entry.error.get()));
                } else if (failure != null) {
                    quota.giveBack(entry.partitions);
                    responses.add(result(entry.reference.topicName(), entry.reference.topicId(),
                            ControllerErrors.toApiError(failure)));
                } else {
                    DeleteTopicResult result = results.get(next++);
                    if (result.error().isSuccess()) {
                        mutations += entry.partitions;
                    } else {
                        quota.giveBack(entry.partitions);
                    }
                    responses.add(result(result.name(), result.topicId(), result.error()));
                }
            }
            long throttleMs = quota.throttleMs(mutations);
            context.throttle().throttle(throttleMs);
            return new DeleteTopicsResponse().setThrottleTimeMs((int) throttleMs).setResponses(responses);
        });
    }

    /**
     * Counts each deletion still valid against the quota, in the request's order; those it does
     * not admit are THROTTLING_QUOTA_EXCEEDED.
     */
    private List<Entry> admitted(MutationQuota quota, List<Entry> entries) {
        return entries.stream().map(entry -> {
            if (entry.error.isPresent()) {
                return entry;
            }
            int partitions = entry.reference.topicName().flatMap(name -> controller.image().topic(name))
                    .or(() -> entry.reference.topicId().flatMap(id -> controller.image().topic(id)))
                    .map(topic -> topic.partitions().size()).orElse(0);
            return quota.admit(partitions) ? new Entry(entry.reference, Optional.empty(), partitions)
                    : new Entry(entry.reference, Optional.of(ControllerErrors.THROTTLING_QUOTA_EXCEEDED));
        }).toList();
    }

    private static List<Entry> entries(short version, DeleteTopicsRequest request) {
        List<Entry> entries = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        if (version < FIRST_VERSION_WITH_IDS) {
            for (String name : request.topicNames()) {
                TopicReference reference = TopicReference.byName(name);
                entries.add(new Entry(reference, duplicateCheck(seen, name)));
            }
            return entries;
        }
        for (DeleteTopicsRequest.DeleteTopicState state : request.topics()) {
            boolean hasName = state.name() != null;
            boolean hasId = !WireFormat.ZERO_UUID.equals(state.topicId());
            if (hasName == hasId) {
                TopicReference reference = hasName ? TopicReference.byName(state.name()) : TopicReference.byId(state.topicId());
                entries.add(new Entry(reference, Optional.of(ApiError.of(Errors.INVALID_REQUEST,
                        "Each topic must be named either by name or by topic id, not both or neither."))));
                continue;
            }
            TopicReference reference = hasName ? TopicReference.byName(state.name()) : TopicReference.byId(state.topicId());
            entries.add(new Entry(reference, duplicateCheck(seen, hasName ? state.name() : state.topicId())));
        }
        return entries;
    }

    /**
     * Entries the principal may not DELETE are TOPIC_AUTHORIZATION_FAILED, as in Kafka. A topic
     * named by id is checked under its name; an id no topic has is left to the controller, which
     * answers UNKNOWN_TOPIC_ID.
     */
    private List<Entry> authorized(RequestContext context, List<Entry> entries) {
        return entries.stream().map(entry -> {
            if (entry.error.isPresent()) {
                return entry;
            }
            Optional<String> name = entry.reference.topicName().or(() -> entry.reference.topicId()
                    .flatMap(id -> controller.image().topic(id)).map(TopicImage::name));
            if (name.isEmpty() || context.authorized(AclOperation.DELETE, AclResourceType.TOPIC, name.get())) {
                return entry;
            }
            return new Entry(entry.reference, Optional.of(ApiError.of(Errors.TOPIC_AUTHORIZATION_FAILED,
                    "Not authorized to delete topic " + name.get())));
        }).toList();
    }

    private static List<Entry> disabled(List<Entry> entries) {
        ApiError disabled = ApiError.of(Errors.TOPIC_DELETION_DISABLED,
                "Topic deletion is disabled (delete.topic.enable=false)");
        return entries.stream()
                .map(entry -> entry.error.isPresent() ? entry : new Entry(entry.reference, Optional.of(disabled)))
                .toList();
    }

    private static Optional<ApiError> duplicateCheck(Set<Object> seen, Object key) {
        return seen.add(key) ? Optional.empty()
                : Optional.of(ApiError.of(Errors.INVALID_REQUEST, "Duplicate topic in request: " + key));
    }

    private static DeletableTopicResult result(Optional<String> name, Optional<UUID> id, ApiError error) {
        return new DeletableTopicResult()
                .setName(name.orElse(null))
                .setTopicId(id.orElse(WireFormat.ZERO_UUID))
                .setErrorCode(error.error().code())
                .setErrorMessage(ControllerErrors.wireMessage(error));
    }

    /** @param partitions what the deletion counted against the quota, once admitted */
    private record Entry(TopicReference reference, Optional<ApiError> error, int partitions) {
        Entry(TopicReference reference, Optional<ApiError> error) {
            this(reference, error, 0);
        }
    }
}
