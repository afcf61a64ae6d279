package io.gregor.broker.api.offsets;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.ErrorMapper;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.partition.OffsetLookup;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ListOffsetsRequest;
import io.gregor.protocol.message.ListOffsetsResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * ListOffsets: the earliest (-2) or latest (-1) offset, the record with the largest timestamp
 * (-3), or the first offset whose timestamp is at or after a given time. With no tiered
 * storage, the earliest local offset (-4) is the earliest offset and the last tiered offset
 * (-5) does not exist. A read_committed client (isolation level 1) sees the partition up to the
 * last stable offset: that is its latest offset, and no later record is found by timestamp.
 * Only the leader answers, also when consumers read from a follower (KIP-392); a leader just
 * elected answers OFFSET_NOT_AVAILABLE, which clients retry, to every lookup but the earliest
 * until its high watermark reaches the start of its leader epoch. A partition this broker was just
 * made leader of is answered once this broker has set it up (a new topic's log created).
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequest, ListOffsetsResponse> {
    private static final short FIRST_VERSION_WITH_LEADER_EPOCH = 4;
    private static final byte READ_COMMITTED = 1;

    private final ReplicaManager replicaManager;
    private final Executor ioExecutor;

    public ListOffsetsHandler(ReplicaManager replicaManager, Executor ioExecutor) {
        this.replicaManager = replicaManager;
        this.ioExecutor = ioExecutor;
    }

    @Override
    public short apiKey() {
        return ApiKey.LIST_OFFSETS.id();
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 10;
    }

    @Override
    public CompletableFuture<ListOffsetsResponse> handle(RequestContext context, ListOffsetsRequest request) {
        // A partition this broker was just made leader of and is still setting up (a new topic's
        // log being created): the answer waits for it, as the consumer was told this broker leads it.
        if (replicaManager.leadershipPendingForAny(request, ListOffsetsHandler::partitionsOf)) {
            return replicaManager.awaitApplied().thenApplyAsync(applied -> answer(context, request), ioExecutor);
        }
        return CompletableFuture.supplyAsync(() -> answer(context, request), ioExecutor);
    }

    private static Stream<TopicPartition> partitionsOf(ListOffsetsRequest request) {
        return request.topics().stream().flatMap(topic -> topic.partitions().stream()
                .map(partition -> new TopicPartition(topic.name(), partition.partitionIndex())));
    }

    private ListOffsetsResponse answer(RequestContext context, ListOffsetsRequest request) {
        ListOffsetsResponse response = new ListOffsetsResponse();
        for (ListOffsetsRequest.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsResponse.ListOffsetsTopicResponse topicResponse =
                    new ListOffsetsResponse.ListOffsetsTopicResponse().setName(topic.name());
            response.topics().add(topicResponse);
            boolean described = context.authorized(AclOperation.DESCRIBE, AclResourceType.TOPIC, topic.name());
            for (ListOffsetsRequest.ListOffsetsPartition requested : topic.partitions()) {
                ListOffsetsResponse.ListOffsetsPartitionResponse answer =
                        new ListOffsetsResponse.ListOffsetsPartitionResponse()
                                .setPartitionIndex(requested.partitionIndex());
                topicResponse.partitions().add(answer);
                if (!described) {
                    answer.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                    continue;
                }
                try {
                    Partition partition = replicaManager.leaderPartition(topic.name(), requested.partitionIndex(),
                            requested.currentLeaderEpoch());
                    OffsetLookup found = partition.lookupOffset(requested.timestamp(), request.isolationLevel() == READ_COMMITTED);
                    answer.setOffset(found.offset()).setTimestamp(found.timestamp());
                    if (context.apiVersion() >= FIRST_VERSION_WITH_LEADER_EPOCH) {
                        answer.setLeaderEpoch(found.leaderEpoch());
                    }
                } catch (RuntimeException e) {
                    answer.setErrorCode(ErrorMapper.toError(e).code());
                }
            }
        }
        return response;
    }
}
