package io.gregor.broker.api.produce;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.ErrorMapper;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.partition.AppendOutcome;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ProduceRequest;
import io.gregor.protocol.message.ProduceResponse;
import io.gregor.protocol.record.MemoryRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Produce: appends each partition's batches to its log as they came (offsets and leader epoch
 * patched into the batch headers, nothing re-encoded) and answers once the acks the producer
 * asked for are met: with acks=all once the in-sync replicas have the batches (or the request's
 * timeout passed: REQUEST_TIMED_OUT). With acks=0 the producer expects no answer, so the future
 * completes with {@code null}. A partition led by another broker is NOT_LEADER_OR_FOLLOWER.
 *
 * <p>The append runs on the connection's network thread, before the next request of the
 * connection is read: a producer's requests must reach the log in the order it sent them
 * (five in flight, no gaps), and handing them to a pool would let two of them race. The write
 * goes to the page cache; fsync happens on the log manager's flush thread, never here.
 *
 * <p>Versions 0-2 are refused (Kafka 4 removed them) but ApiVersions still advertises 0 as the
 * minimum because librdkafka reads it from there (KAFKA-18659).
 */
public final class ProduceHandler implements ApiHandler<ProduceRequest, ProduceResponse> {
    private static final UUID UUID_ZERO = new UUID(0, 0);

    private final ReplicaManager replicaManager;

    public ProduceHandler(ReplicaManager replicaManager) {
        this.replicaManager = replicaManager;
    }

    @Override
    public short apiKey() {
        return ApiKey.PRODUCE.id();
    }

    @Override
    public short minVersion() {
        return 3;
    }

    @Override
    public short maxVersion() {
        return 13;
    }

    @Override
    public CompletableFuture<ProduceResponse> handle(RequestContext context, ProduceRequest request) {
        PendingResponse pending = append(request);
        return CompletableFuture.allOf(pending.futures().toArray(CompletableFuture[]::new))
                .thenApply(done -> request.acks() == 0 ? null : pending.response());
    }

    private record PendingResponse(ProduceResponse response, List<CompletableFuture<?>> futures) {
    }

    private PendingResponse append(ProduceRequest request) {
        ProduceResponse response = new ProduceResponse();
        List<CompletableFuture<?>> futures = new ArrayList<>();
        short acks = request.acks();
        for (ProduceRequest.TopicProduceData topic : request.topicData()) {
            ProduceResponse.TopicProduceResponse topicResponse = new ProduceResponse.TopicProduceResponse()
                    .setName(topic.name())
                    .setTopicId(topic.topicId());
            response.responses().add(topicResponse);
            Optional<String> topicName = resolveName(topic);
            for (ProduceRequest.PartitionProduceData partitionData : topic.partitionData()) {
                ProduceResponse.PartitionProduceResponse partitionResponse =
                        new ProduceResponse.PartitionProduceResponse()
                                .setIndex(partitionData.index())
                                .setBaseOffset(-1);
                topicResponse.partitionResponses().add(partitionResponse);
                if (acks != 0 && acks != 1 && acks != -1) {
                    fail(partitionResponse, Errors.INVALID_REQUIRED_ACKS, "acks must be 0, 1 or -1, not " + acks);
                    continue;
                }
                Optional<Partition> partition = topicName.flatMap(name -> replicaManager.partition(name, partitionData.index()));
                if (partition.isEmpty()) {
                    Errors error = topicName.isEmpty() && !UUID_ZERO.equals(topic.topicId())
                            ? Errors.UNKNOWN_TOPIC_ID
                            : replicaManager.notHostedError(new TopicPartition(topicName.get(), partitionData.index()));
                    fail(partitionResponse, error, null);
                    continue;
                }
                if (!(partitionData.records() instanceof MemoryRecords records) || records.sizeInBytes() == 0) {
                    fail(partitionResponse, Errors.INVALID_RECORD, "The request carries no record batch");
                    continue;
                }
                try {
                    CompletableFuture<AppendOutcome> outcome = partition.get().appendAsLeader(records, acks,
                            request.timeoutMs());
                    futures.add(outcome.handle((result, error) -> {
                        if (error != null) {
                            Errors mapped = ErrorMapper.toError(error);
                            fail(partitionResponse, mapped, ErrorMapper.message(error));
                        } else {
                            partitionResponse.setErrorCode(result.error().code())
                                    .setBaseOffset(result.baseOffset())
                                    .setLogAppendTimeMs(result.logAppendTimeMs())
                                    .setLogStartOffset(result.logStartOffset());
                        }
                        return null;
                    }));
                } catch (RuntimeException e) {
                    fail(partitionResponse, ErrorMapper.toError(e), ErrorMapper.message(e));
                }
            }
        }
        return new PendingResponse(response, futures);
    }

    private Optional<String> resolveName(ProduceRequest.TopicProduceData topic) {
        if (!UUID_ZERO.equals(topic.topicId())) {
            return replicaManager.topicName(topic.topicId());
        }
        return Optional.of(topic.name());
    }

    private static void fail(ProduceResponse.PartitionProduceResponse response, Errors error, String message) {
        response.setErrorCode(error.code()).setBaseOffset(-1).setErrorMessage(message);
    }
}
