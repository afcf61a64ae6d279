package io.gregor.broker.api.offsets;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.ErrorMapper;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.OffsetForLeaderEpochRequest;
import io.gregor.protocol.message.OffsetForLeaderEpochResponse;
import io.gregor.storage.epoch.EpochEndOffset;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetForLeaderEpoch: the end offset of a leader epoch, from the partition's leader-epoch
 * cache. Consumers use it to detect log truncation after a leader change; followers use it to
 * find where to truncate before fetching.
 */
public final class OffsetForLeaderEpochHandler
        implements ApiHandler<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse> {
    private final ReplicaManager replicaManager;

    public OffsetForLeaderEpochHandler(ReplicaManager replicaManager) {
        this.replicaManager = replicaManager;
    }

    @Override
    public short apiKey() {
        return ApiKey.OFFSET_FOR_LEADER_EPOCH.id();
    }

    @Override
    public short minVersion() {
        return 2;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<OffsetForLeaderEpochResponse> handle(RequestContext context,
                                                                  OffsetForLeaderEpochRequest request) {
        OffsetForLeaderEpochResponse response = new OffsetForLeaderEpochResponse();
        // As in Kafka: a follower (replica id >= 0) needs CLUSTER_ACTION, a consumer DESCRIBE on the topic.
        boolean follower = request.replicaId() >= 0;
        boolean followerAllowed = !follower || context.authorizedOnCluster(AclOperation.CLUSTER_ACTION);
        for (OffsetForLeaderEpochRequest.OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult topicResult =
                    new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult().setTopic(topic.topic());
            response.topics().add(topicResult);
            boolean allowed = follower ? followerAllowed
                    : context.authorized(AclOperation.DESCRIBE, AclResourceType.TOPIC, topic.topic());
            for (OffsetForLeaderEpochRequest.OffsetForLeaderPartition requested : topic.partitions()) {
                OffsetForLeaderEpochResponse.EpochEndOffset answer = new OffsetForLeaderEpochResponse.EpochEndOffset()
                        .setPartition(requested.partition());
                topicResult.partitions().add(answer);
                if (!allowed) {
                    answer.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                    continue;
                }
                try {
                    EpochEndOffset end = replicaManager
                            .leaderPartition(topic.topic(), requested.partition(), requested.currentLeaderEpoch())
                            .endOffsetForEpoch(requested.leaderEpoch());
                    answer.setLeaderEpoch(end.leaderEpoch()).setEndOffset(end.endOffset());
                } catch (RuntimeException e) {
                    answer.setErrorCode(ErrorMapper.toError(e).code());
                }
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}
