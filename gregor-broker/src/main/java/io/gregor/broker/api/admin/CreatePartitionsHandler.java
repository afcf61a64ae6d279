package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
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

/** CreatePartitions, versions 0-3, with validate-only and optional replica assignments. */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequest, CreatePartitionsResponse> {
    private final QuorumController controller;

    public CreatePartitionsHandler(QuorumController controller) {
        this.controller = controller;
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
        List<PartitionIncrease> increases = new ArrayList<>();
        for (CreatePartitionsRequest.CreatePartitionsTopic topic : request.topics()) {
            if (!duplicates.contains(topic.name()) && !unauthorized.contains(topic.name())) {
                Optional<List<List<Integer>>> assignments = Optional.ofNullable(topic.assignments())
                        .map(list -> list.stream().map(a -> List.copyOf(a.brokerIds())).toList());
                increases.add(new PartitionIncrease(topic.name(), topic.count(), assignments));
            }
        }
        return controller.createPartitions(increases, request.validateOnly()).handle((results, failure) -> {
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
                } else if (failure != null) {
                    responses.add(result(topic.name(), ControllerErrors.toApiError(failure)));
                } else {
                    PartitionIncreaseResult result = results.get(next++);
                    responses.add(result(result.topic(), result.error()));
                }
            }
            return new CreatePartitionsResponse().setResults(responses);
        });
    }

    private static CreatePartitionsTopicResult result(String name, ApiError error) {
        return new CreatePartitionsTopicResult()
                .setName(name)
                .setErrorCode(error.error().code())
                .setErrorMessage(ControllerErrors.wireMessage(error));
    }
}
