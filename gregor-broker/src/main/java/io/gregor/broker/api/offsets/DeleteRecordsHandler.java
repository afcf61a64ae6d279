package io.gregor.broker.api.offsets;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.ErrorMapper;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DeleteRecordsRequest;
import io.gregor.protocol.message.DeleteRecordsResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * DeleteRecords: moves a partition's log start offset forward; whole segments below it are
 * deleted. An offset of -1 means "up to the high watermark".
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequest, DeleteRecordsResponse> {
    private final ReplicaManager replicaManager;
    private final Executor ioExecutor;

    public DeleteRecordsHandler(ReplicaManager replicaManager, Executor ioExecutor) {
        this.replicaManager = replicaManager;
        this.ioExecutor = ioExecutor;
    }

    @Override
    public short apiKey() {
        return ApiKey.DELETE_RECORDS.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<DeleteRecordsResponse> handle(RequestContext context, DeleteRecordsRequest request) {
        return CompletableFuture.supplyAsync(() -> delete(context, request), ioExecutor);
    }

    private DeleteRecordsResponse delete(RequestContext context, DeleteRecordsRequest request) {
        DeleteRecordsResponse response = new DeleteRecordsResponse();
        for (DeleteRecordsRequest.DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsResponse.DeleteRecordsTopicResult topicResult =
                    new DeleteRecordsResponse.DeleteRecordsTopicResult().setName(topic.name());
            response.topics().add(topicResult);
            boolean deletable = context.authorized(AclOperation.DELETE, AclResourceType.TOPIC, topic.name());
            for (DeleteRecordsRequest.DeleteRecordsPartition requested : topic.partitions()) {
                DeleteRecordsResponse.DeleteRecordsPartitionResult result =
                        new DeleteRecordsResponse.DeleteRecordsPartitionResult()
                                .setPartitionIndex(requested.partitionIndex())
                                .setLowWatermark(-1);
                topicResult.partitions().add(result);
                if (!deletable) {
                    result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                    continue;
                }
                Optional<Partition> partition = replicaManager.partition(topic.name(), requested.partitionIndex());
                if (partition.isEmpty()) {
                    result.setErrorCode(replicaManager.notHostedError(
                            new TopicPartition(topic.name(), requested.partitionIndex())).code());
                    continue;
                }
                try {
                    result.setLowWatermark(partition.get().deleteRecordsBefore(requested.offset()));
                } catch (RuntimeException e) {
                    result.setErrorCode(ErrorMapper.toError(e).code());
                }
            }
        }
        return response;
    }
}
