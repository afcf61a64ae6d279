package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.quota.MutationQuota;
import io.gregor.broker.quota.MutationQuotas;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.PartitionIncrease;
import io.gregor.metadata.control.PartitionIncreaseResult;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.CreatePartitionsRequest;
import io.gregor.protocol.message.CreatePartitionsResponse;
import io.gregor.protocol.message.CreatePartitionsResponse.CreatePartitionsTopicResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * CreatePartitions, versions 0-3, with validate-only and optional replica assignments. The new
 * partitions count against the client's controller_mutation_rate ({@link MutationQuota}): from
 * v3 a topic the quota does not admit fails with THROTTLING_QUOTA_EXCEEDED; before, it grows and
 * the client is throttled.
 */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequest, CreatePartitionsResponse> {
    private static final short FIRST_VERSION_REFUSING_OVER_QUOTA = 3;

    private final QuorumController controller;
    private final MutationQuotas mutationQuotas;

    public CreatePartitionsHandler(QuorumController controller, MutationQuotas mutationQuotas) {
        this.controller = controller;
        this.mutationQuotas = mutationQuotas;
    }

    @Override
    public short apiKey() {
        return ApiKey.CREATE_PARTITIONS.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<CreatePartitionsResponse> handle(RequestContext context, CreatePartitionsRequest request) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        request.topics().forEach(topic -> {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        });
        // Kafka's rule: ALTER on the topic.
        Set<String> unauthorized = new HashSet<>();
        for (String name : seen) {
            if (!duplicates.contains(name) && !context.authorized(AclOperation.ALTER, AclResourceType.TOPIC, name)) {
                unauthorized.add(name);
            }
        }
        MutationQuota quota = request.validateOnly() ? MutationQuota.UNLIMITED
                : mutationQuotas.forRequest(context.userName(), context.clientId(),
                        context.apiVersion() >= FIRST_VERSION_REFUSING_OVER_QUOTA);
        Set<String> overQuota = new HashSet<>();
        List<PartitionIncrease> increases = new ArrayList<>();
        // what each admitted topic counted against the quota
        List<Integer> counted = new ArrayList<>();
        for (CreatePartitionsRequest.CreatePartitionsTopic topic : request.topics()) {
            if (!duplicates.contains(topic.name()) && !unauthorized.contains(topic.name())) {
                int newPartitions = newPartitions(topic);
                if (!quota.admit(newPartitions)) {
                    overQuota.add(topic.name());
                    continue;
                }
                counted.add(newPartitions);
                Optional<List<List<Integer>>> assignments = Optional.ofNullable(topic.assignments())
                        .map(list -> list.stream().map(a -> List.copyOf(a.brokerIds())).toList());
                increases.add(new PartitionIncrease(topic.name(), topic.count(), assignments));
            }
        }
        return controller.createPartitions(increases, request.validateOnly()).handle((results, failure) -> {
            int mutations = 0;
            for (int i = 0; i < increases.size(); i++) {
                if (failure == null && results.get(i).error().isSuccess()) {
                    mutations += counted.get(i);
                } else {
                    quota.giveBack(counted.get(i));
                }
            }
            List<CreatePartitionsTopicResult> responses = new ArrayList<>();
            Set<String> answered = new HashSet<>();
            int next = 0;
            for (CreatePartitionsRequest.CreatePartitionsTopic topic : request.topics()) {
                if (duplicates.contains(topic.name())) {
                    if (answered.add(topic.name())) {
                        responses.add(result(topic.name(), ApiError.of(Errors.INVALID_REQUEST,
                                "Duplicate topic in request: " + topic.name())));
                    }
                } else if (unauthorized.contains(topic.name())) {
                    responses.add(result(topic.name(), ApiError.of(Errors.TOPIC_AUTHORIZATION_FAILED,
                            "Not authorized to alter topic " + topic.name())));
                } else if (overQuota.contains(topic.name())) {
                    responses.add(result(topic.name(), ControllerErrors.THROTTLING_QUOTA_EXCEEDED));
                } else if (failure != null) {
                    responses.add(result(topic.name(), ControllerErrors.toApiError(failure)));
                } else {
                    PartitionIncreaseResult result = results.get(next++);
                    responses.add(result(result.topic(), result.error()));
                }
            }
            long throttleMs = quota.throttleMs(mutations);
            context.throttle().throttle(throttleMs);
            return new CreatePartitionsResponse().setThrottleTimeMs((int) throttleMs).setResults(responses);
        });
    }

    /** The partitions a topic would gain: none when it is unknown or would not grow, which the controller refuses. */
    private int newPartitions(CreatePartitionsRequest.CreatePartitionsTopic topic) {
        return controller.image().topic(topic.name())
                .map(image -> Math.max(0, topic.count() - image.partitions().size())).orElse(0);
    }

    private static CreatePartitionsTopicResult result(String name, ApiError error) {
        return new CreatePartitionsTopicResult()
                .setName(name)
                .setErrorCode(error.error().code())
                .setErrorMessage(ControllerErrors.wireMessage(error));
    }
}
