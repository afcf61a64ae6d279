package io.gregor.broker.api.txn;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.txn.TransactionMarkerWriter;
import io.gregor.broker.txn.TransactionResult;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.WriteTxnMarkersRequest;
import io.gregor.protocol.message.WriteTxnMarkersResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * WriteTxnMarkers: a transaction coordinator asks this broker to end a producer's transaction
 * on partitions it leads. Each marker goes through the same {@link TransactionMarkerWriter} the
 * local coordinator uses; the answer carries one error per partition, in request order. The
 * appends run on the I/O executor. Only brokers may send it: it needs CLUSTER_ACTION.
 */
public final class WriteTxnMarkersHandler implements ApiHandler<WriteTxnMarkersRequest, WriteTxnMarkersResponse> {
    private final TransactionMarkerWriter writer;
    private final Executor ioExecutor;

    public WriteTxnMarkersHandler(TransactionMarkerWriter writer, Executor ioExecutor) {
        this.writer = writer;
        this.ioExecutor = ioExecutor;
    }

    @Override
    public short apiKey() {
        return ApiKey.WRITE_TXN_MARKERS.id();
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<WriteTxnMarkersResponse> handle(RequestContext context, WriteTxnMarkersRequest request) {
        if (!context.authorizedOnCluster(AclOperation.CLUSTER_ACTION)) {
            // The response has no top-level error: every partition carries it.
            return CompletableFuture.completedFuture(refusedAll(request));
        }
        return CompletableFuture.supplyAsync(() -> writeAll(request), ioExecutor).thenCompose(results ->
                CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(done -> {
                    WriteTxnMarkersResponse response = new WriteTxnMarkersResponse();
                    for (CompletableFuture<WriteTxnMarkersResponse.WritableTxnMarkerResult> result : results) {
                        response.markers().add(result.join());
                    }
                    return response;
                }));
    }

    private List<CompletableFuture<WriteTxnMarkersResponse.WritableTxnMarkerResult>> writeAll(
            WriteTxnMarkersRequest request) {
        List<CompletableFuture<WriteTxnMarkersResponse.WritableTxnMarkerResult>> results = new ArrayList<>();
        for (WriteTxnMarkersRequest.WritableTxnMarker marker : request.markers()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (WriteTxnMarkersRequest.WritableTxnMarkerTopic topic : marker.topics()) {
                for (int index : topic.partitionIndexes()) {
                    partitions.add(new TopicPartition(topic.name(), index));
                }
            }
            TransactionResult result = marker.transactionResult() ? TransactionResult.COMMIT : TransactionResult.ABORT;
            results.add(writer.writeMarkers(marker.producerId(), marker.producerEpoch(), marker.coordinatorEpoch(),
                    result, partitions).thenApply(errors -> answer(marker, errors, Errors.UNKNOWN_SERVER_ERROR)));
        }
        return results;
    }

    private static WriteTxnMarkersResponse refusedAll(WriteTxnMarkersRequest request) {
        WriteTxnMarkersResponse response = new WriteTxnMarkersResponse();
        for (WriteTxnMarkersRequest.WritableTxnMarker marker : request.markers()) {
            response.markers().add(answer(marker, Map.of(), Errors.CLUSTER_AUTHORIZATION_FAILED));
        }
        return response;
    }

    private static WriteTxnMarkersResponse.WritableTxnMarkerResult answer(
            WriteTxnMarkersRequest.WritableTxnMarker marker, Map<TopicPartition, Errors> errors, Errors otherwise) {
        WriteTxnMarkersResponse.WritableTxnMarkerResult result =
                new WriteTxnMarkersResponse.WritableTxnMarkerResult().setProducerId(marker.producerId());
        for (WriteTxnMarkersRequest.WritableTxnMarkerTopic topic : marker.topics()) {
            WriteTxnMarkersResponse.WritableTxnMarkerTopicResult topicResult =
                    new WriteTxnMarkersResponse.WritableTxnMarkerTopicResult().setName(topic.name());
            for (int index : topic.partitionIndexes()) {
                Errors error = errors.getOrDefault(new TopicPartition(topic.name(), index), otherwise);
                topicResult.partitions().add(new WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult()
                        .setPartitionIndex(index).setErrorCode(error.code()));
            }
            result.topics().add(topicResult);
        }
        return result;
    }
}
