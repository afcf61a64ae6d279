package io.gregor.broker.api.produce;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.ErrorMapper;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.partition.AppendOutcome;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.broker.quota.ClientQuotaManager;
import io.gregor.broker.txn.TransactionVerifier;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.image.InternalTopics;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ProduceRequest;
import io.gregor.protocol.message.ProduceResponse;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.RecordBatch;
import io.gregor.storage.log.LogException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Produce: appends each partition's batches to its log as they came (offsets and leader epoch
 * patched into the batch headers, nothing re-encoded) and answers once the acks the producer
 * asked for are met: with acks=all once the in-sync replicas have the batches (or the request's
 * timeout passed: REQUEST_TIMED_OUT). With acks=0 the producer expects no answer, so the future
 * completes with {@code null}. A partition led by another broker is NOT_LEADER_OR_FOLLOWER; one
 * this broker was just made leader of but is still setting up (a new topic's log being created)
 * is waited for.
 *
 * <p>The append runs on the connection's network thread, before the next request of the
 * connection is read: a producer's requests must reach the log in the order it sent them
 * (five in flight, no gaps), and handing them to a pool would let two of them race. The write
 * goes to the page cache; fsync happens on the log manager's flush thread, never here.
 *
 * <p>A transactional batch is first checked with the transaction coordinator
 * ({@link TransactionVerifier}, KIP-890): a transaction-V2 producer's partition is added to its
 * transaction there, an older producer's must be in it already. Usually the answer is at hand and
 * the append happens at once; when the coordinator must be asked, the append waits for its answer,
 * and so do the later requests of the same connection, so that they still reach the logs in the
 * order they were sent.
 *
 * <p>Client quotas: while a producer_byte_rate is set anywhere, each request's bytes count
 * against its client's quota, and a client over it is answered at once with the throttle time
 * and its connection then rests for that long (KIP-219); with acks=0 it rests all the same.
 *
 * <p>Versions 0-2 are refused (Kafka 4 removed them) but ApiVersions still advertises 0 as the
 * minimum because librdkafka reads it from there (KAFKA-18659).
 */
public final class ProduceHandler implements ApiHandler<ProduceRequest, ProduceResponse> {
    private static final UUID UUID_ZERO = new UUID(0, 0);
    /** The client id by which Kafka's admin tools may write to internal topics. */
    private static final String ADMIN_CLIENT_ID = "__admin_client";
    private static final Set<Errors> EXPECTED_APPEND_ERRORS = EnumSet.of(Errors.NOT_LEADER_OR_FOLLOWER,
            Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.MESSAGE_TOO_LARGE, Errors.RECORD_LIST_TOO_LARGE,
            Errors.CORRUPT_MESSAGE, Errors.KAFKA_STORAGE_ERROR);

    private final ReplicaManager replicaManager;
    private final TransactionVerifier verifier;
    private final ClientQuotaManager quota;
    /** Per connection, the appends of its latest request while they wait for the coordinator. */
    private final Map<String, CompletableFuture<Void>> waitingAppends = new ConcurrentHashMap<>();

    /** @param quota producer_byte_rate */
    public ProduceHandler(ReplicaManager replicaManager, TransactionVerifier verifier, ClientQuotaManager quota) {
        this.replicaManager = replicaManager;
        this.verifier = verifier;
        this.quota = quota;
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
        long throttleMs = quota.active()
                ? quota.recordAndThrottleMs(context.userName(), context.clientId(), context.requestBytes()) : 0;
        String connection = context.connectionId();
        CompletableFuture<Void> earlier = waitingAppends.get(connection);
        // A partition this broker was just made leader of and is still setting up (a new topic's
        // log being created): the request waits for it, as the producer was told this broker
        // leads it. Its append then runs on the replica manager's thread once the change is
        // applied, like an append that waited for the transaction coordinator runs on the thread
        // that answered; later requests of the connection wait behind it as usual.
        if (replicaManager.leadershipPendingForAny(request, this::partitionsOf)) {
            CompletableFuture<Void> applied = replicaManager.awaitApplied();
            earlier = earlier == null ? applied : CompletableFuture.allOf(earlier, applied);
        }
        CompletableFuture<PendingResponse> pending = earlier == null
                ? CompletableFuture.completedFuture(append(request, context))
                : earlier.handle((done, error) -> append(request, context));
        CompletableFuture<Void> appended = pending.thenCompose(PendingResponse::appended);
        if (!appended.isDone()) {
            // Requests of one connection are handled one after another on its network thread,
            // so nothing else sets this connection's entry meanwhile.
            waitingAppends.put(connection, appended);
            appended.whenComplete((done, error) -> waitingAppends.remove(connection, appended));
        }
        return pending.thenCompose(response -> CompletableFuture.allOf(response.futures().toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    if (throttleMs > 0) {
                        context.throttle().throttle(throttleMs);
                        response.response().setThrottleTimeMs((int) throttleMs);
                    }
                    return request.acks() == 0 ? null : response.response();
                }));
    }

    private Stream<TopicPartition> partitionsOf(ProduceRequest request) {
        return request.topicData().stream().flatMap(topic -> resolveName(topic).stream()
                .flatMap(name -> topic.partitionData().stream().map(p -> new TopicPartition(name, p.index()))));
    }

    /**
     * @param appended completes once every partition's batches are written or refused
     * @param futures complete once every partition is answered (acks met)
     */
    private record PendingResponse(ProduceResponse response, CompletableFuture<Void> appended,
                                   List<CompletableFuture<?>> futures) {
    }

    private PendingResponse append(ProduceRequest request, RequestContext context) {
        short version = context.apiVersion();
        ProduceResponse response = new ProduceResponse();
        List<CompletableFuture<?>> futures = new ArrayList<>();
        List<CompletableFuture<?>> verified = new ArrayList<>();
        short acks = request.acks();
        // Kafka's rules: a transactional produce needs WRITE on its transactional id; each topic
        // needs WRITE, checked before the topic is looked up so that its existence is not told.
        boolean transactionAllowed = request.transactionalId() == null
                || context.authorized(AclOperation.WRITE, AclResourceType.TRANSACTIONAL_ID, request.transactionalId());
        for (ProduceRequest.TopicProduceData topic : request.topicData()) {
            ProduceResponse.TopicProduceResponse topicResponse = new ProduceResponse.TopicProduceResponse()
                    .setName(topic.name())
                    .setTopicId(topic.topicId());
            response.responses().add(topicResponse);
            Optional<String> topicName = resolveName(topic);
            Errors refusal = !transactionAllowed ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                    : topicName.isPresent() && !context.authorized(AclOperation.WRITE, AclResourceType.TOPIC,
                            topicName.get()) ? Errors.TOPIC_AUTHORIZATION_FAILED
                    : topicName.isPresent() && refusesClientWrites(topicName.get(), context)
                            ? Errors.INVALID_TOPIC_EXCEPTION : Errors.NONE;
            String refusalMessage = refusal == Errors.INVALID_TOPIC_EXCEPTION
                    ? "Cannot append to internal topic " + topicName.get() : null;
            for (ProduceRequest.PartitionProduceData partitionData : topic.partitionData()) {
                ProduceResponse.PartitionProduceResponse partitionResponse =
                        new ProduceResponse.PartitionProduceResponse()
                                .setIndex(partitionData.index())
                                .setBaseOffset(-1);
                topicResponse.partitionResponses().add(partitionResponse);
                if (refusal != Errors.NONE) {
                    fail(partitionResponse, refusal, refusalMessage);
                    continue;
                }
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
                CompletableFuture<Errors> verification = verify(request.transactionalId(), partition.get(), records,
                        version);
                if (verification.isDone()) {
                    appendVerified(partition.get(), records, acks, request.timeoutMs(), verification.join(),
                            partitionResponse, futures);
                } else {
                    CompletableFuture<AppendOutcome> answered = new CompletableFuture<>();
                    futures.add(answered);
                    verified.add(verification.thenAccept(error -> {
                        List<CompletableFuture<?>> appended = new ArrayList<>(1);
                        appendVerified(partition.get(), records, acks, request.timeoutMs(), error, partitionResponse,
                                appended);
                        CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new))
                                .whenComplete((done, failure) -> answered.complete(null));
                    }));
                }
            }
        }
        return new PendingResponse(response, CompletableFuture.allOf(verified.toArray(CompletableFuture[]::new)),
                futures);
    }

    /**
     * Whether a client may not write to this topic: the internal topics hold the group and
     * transaction coordinators' own records, which they replay on taking a partition over, so
     * only an admin tool that says so by its client id may write there, as in Kafka.
     */
    private static boolean refusesClientWrites(String topic, RequestContext context) {
        return InternalTopics.isInternal(topic) && !ADMIN_CLIENT_ID.equals(context.clientId());
    }

    /** The coordinator's word on a transactional batch; other batches need none. */
    private CompletableFuture<Errors> verify(String transactionalId, Partition partition, MemoryRecords records,
                                             short version) {
        if (transactionalId == null || records.sizeInBytes() < RecordBatch.HEADER_SIZE) {
            return TransactionVerifier.VERIFIED;
        }
        RecordBatch first = RecordBatch.of(records.buffer());
        if (first.magic() != RecordBatch.MAGIC || !first.isTransactional() || first.isControlBatch()) {
            return TransactionVerifier.VERIFIED;
        }
        return verifier.verify(transactionalId, first.producerId(), first.producerEpoch(), partition.topicPartition(),
                version);
    }

    private void appendVerified(Partition partition, MemoryRecords records, short acks, int timeoutMs,
                                Errors verification, ProduceResponse.PartitionProduceResponse partitionResponse,
                                List<CompletableFuture<?>> futures) {
        if (verification != Errors.NONE) {
            fail(partitionResponse, verification, null);
            return;
        }
        String topic = partition.topicPartition().topic();
        replicaManager.topicMetrics().produceRequest(topic);
        try {
            CompletableFuture<AppendOutcome> outcome = partition.appendAsLeader(records, acks, timeoutMs);
            futures.add(outcome.handle((result, error) -> {
                if (error != null) {
                    failAppend(topic, records, partitionResponse, error);
                } else {
                    partitionResponse.setErrorCode(result.error().code())
                            .setBaseOffset(result.baseOffset())
                            .setLogAppendTimeMs(result.logAppendTimeMs())
                            .setLogStartOffset(result.logStartOffset());
                }
                return null;
            }));
        } catch (RuntimeException e) {
            failAppend(topic, records, partitionResponse, e);
        }
    }

    /**
     * An append that failed. As in Kafka, FailedProduceRequestsPerSec counts the failures a
     * well-behaved client is not expected to meet: not the leader moving, the partition being
     * gone, a batch too large or corrupt in transit, or a failing disk. A batch refused for a
     * reason Kafka meters (a bad CRC, a record without a key for a compacted topic, ...) also
     * counts in that reason's meter.
     */
    private void failAppend(String topic, MemoryRecords records,
                            ProduceResponse.PartitionProduceResponse partitionResponse, Throwable error) {
        Errors mapped = ErrorMapper.toError(error);
        if (!EXPECTED_APPEND_ERRORS.contains(mapped)) {
            replicaManager.topicMetrics().failedProduceRequest(topic);
        }
        if (ErrorMapper.cause(error) instanceof LogException refusal) {
            refusal.defect().ifPresent(defect ->
                    replicaManager.topicMetrics().refused(topic, defect, records.sizeInBytes()));
        }
        fail(partitionResponse, mapped, ErrorMapper.message(error));
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
