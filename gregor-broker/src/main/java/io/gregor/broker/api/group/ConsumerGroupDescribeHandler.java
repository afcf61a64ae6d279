package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.AuthorizedOperations;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ConsumerGroupDescribeRequest;
import io.gregor.protocol.message.ConsumerGroupDescribeResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * ConsumerGroupDescribe (KIP-848): epochs, assignor, and every member with its subscription,
 * current and target assignment. A group that is not a consumer-protocol group answers
 * GROUP_ID_NOT_FOUND, on which admin clients fall back to DescribeGroups. Needs DESCRIBE on the
 * group and on every topic its members subscribe to or are assigned.
 */
public final class ConsumerGroupDescribeHandler
        implements ApiHandler<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse> {
    private final GroupCoordinator coordinator;

    public ConsumerGroupDescribeHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.CONSUMER_GROUP_DESCRIBE.id();
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
    public CompletableFuture<ConsumerGroupDescribeResponse> handle(RequestContext context,
                                                                   ConsumerGroupDescribeRequest request) {
        List<CompletableFuture<ConsumerGroupDescribeResponse.DescribedGroup>> answers = new ArrayList<>();
        for (String groupId : request.groupIds()) {
            if (!context.authorized(AclOperation.DESCRIBE, AclResourceType.GROUP, groupId)) {
                answers.add(CompletableFuture.completedFuture(new ConsumerGroupDescribeResponse.DescribedGroup()
                        .setGroupId(groupId).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                        .setGroupState("").setAssignorName("")));
                continue;
            }
            answers.add(coordinator.onShard(groupId,
                    shard -> CompletableFuture.completedFuture(shard.consumerGroups().describe(groupId)),
                    error -> new ConsumerGroupDescribeResponse.DescribedGroup().setGroupId(groupId)
                            .setErrorCode(error.code()).setGroupState("").setAssignorName("")));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            ConsumerGroupDescribeResponse response = new ConsumerGroupDescribeResponse();
            answers.forEach(answer -> response.groups().add(hideUndescribableTopics(context, answer.join())));
            if (request.includeAuthorizedOperations()) {
                // KIP-430: what the principal may do on each group it may describe
                response.groups().stream().filter(group -> group.errorCode() == Errors.NONE.code())
                        .forEach(group -> group.setAuthorizedOperations(
                                AuthorizedOperations.of(context, AclResourceType.GROUP, group.groupId())));
            }
            return response;
        });
    }

    /**
     * As Kafka (KAFKA-18813): a group whose members subscribe to or are assigned a topic the
     * principal may not describe is not described, lest it tell the topic's name.
     */
    private static ConsumerGroupDescribeResponse.DescribedGroup hideUndescribableTopics(
            RequestContext context, ConsumerGroupDescribeResponse.DescribedGroup group) {
        if (group.errorCode() != Errors.NONE.code()) {
            return group;
        }
        Set<String> topics = new HashSet<>();
        for (ConsumerGroupDescribeResponse.Member member : group.members()) {
            topics.addAll(member.subscribedTopicNames());
            for (ConsumerGroupDescribeResponse.Assignment assignment : List.of(member.assignment(),
                    member.targetAssignment())) {
                assignment.topicPartitions().forEach(partitions -> topics.add(partitions.topicName()));
            }
        }
        boolean hidden = topics.stream()
                .anyMatch(topic -> !context.authorized(AclOperation.DESCRIBE, AclResourceType.TOPIC, topic));
        if (hidden) {
            group.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("The group has described topic(s) that the client is not authorized to describe.")
                    .members().clear();
        }
        return group;
    }
}
