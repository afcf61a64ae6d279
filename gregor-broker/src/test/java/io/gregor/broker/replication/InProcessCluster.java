package io.gregor.broker.replication;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.fetch.FetchHandler;
import io.gregor.broker.api.fetch.FetchSessionCache;
import io.gregor.broker.api.offsets.OffsetForLeaderEpochHandler;
import io.gregor.broker.metrics.PartitionMeters;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.partition.PartitionEnvironment;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.broker.purgatory.Purgatory;
import io.gregor.broker.quota.ClientQuotaManager;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.ConfigRecord;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.ConfigResourceType;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.PartitionChangeRecord;
import io.gregor.metadata.record.PartitionRecord;
import io.gregor.metadata.record.RegisterBrokerRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import io.gregor.protocol.message.OffsetForLeaderEpochRequest;
import io.gregor.protocol.message.OffsetForLeaderEpochResponse;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.wire.ApiMessage;
import io.gregor.protocol.wire.ByteBufferWriter;
import io.gregor.protocol.wire.Readable;
import io.gregor.storage.log.FileRecords;
import io.gregor.storage.log.LogManager;
import io.gregor.storage.log.LogManagerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * Brokers' replica managers in one process, each over its own log directory, with real fetch and
 * OffsetForLeaderEpoch handlers between them instead of sockets, and a stand-in controller: it
 * writes metadata records into an image and hands every change to all nodes in order, as the
 * metadata log would, and answers the leaders' ISR changes with the epoch checks AlterPartition
 * makes. A node can be paused: its fetchers' requests wait until it is resumed, as a SIGSTOPped
 * broker's would. A node can be fenced: the controller then refuses it in an ISR
 * (INELIGIBLE_REPLICA), and the leaders see it fenced, as they would in the metadata.
 */
final class InProcessCluster implements AutoCloseable {
    private final Path baseDir;
    private final ReplicationConfig config;
    private final Map<Integer, Node> nodes = new ConcurrentHashMap<>();
    /** The controller's thread: metadata changes are applied one at a time, in order. */
    private final ExecutorService controller = Executors.newSingleThreadExecutor();
    private volatile MetadataImage image = MetadataImage.empty("in-process");
    private final Set<Integer> fenced = ConcurrentHashMap.newKeySet();
    private final AtomicInteger isrChangesAsked = new AtomicInteger();

    InProcessCluster(Path baseDir, ReplicationConfig config, int... nodeIds) {
        this.baseDir = baseDir;
        this.config = config;
        for (int id : nodeIds) {
            nodes.put(id, new Node(id));
        }
        nodes.values().forEach(Node::start);
    }

    Node node(int id) {
        return nodes.get(id);
    }

    MetadataImage image() {
        return image;
    }

    /** Creates a topic with one partition: replicas, ISR, leader as given, and topic configs. */
    UUID createTopic(String name, List<Integer> replicas, List<Integer> isr, int leader, Map<String, String> configs) {
        UUID id = UUID.randomUUID();
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new TopicRecord(name, id));
        configs.forEach((key, value) -> records.add(new ConfigRecord(
                new ConfigResource(ConfigResourceType.TOPIC, name), key, Optional.of(value))));
        records.add(new PartitionRecord(id, 0, replicas, isr, leader, 0, 0));
        commit(records);
        return id;
    }

    /** Registers each node as a broker in rack {@code rack.apply(id)}, as its BrokerRegistration would. */
    void registerBrokers(IntFunction<String> rack) {
        commit(nodes.keySet().stream().<MetadataRecord>map(id -> new RegisterBrokerRecord(id,
                List.of(new BrokerEndpoint("PLAINTEXT", "127.0.0.1", 9092 + id)), Optional.of(rack.apply(id))))
                .toList());
    }

    /** The controller elects {@code leader} with {@code isr}: the leader epoch goes up. */
    void electLeader(String topic, int leader, List<Integer> isr) {
        UUID id = image.topic(topic).orElseThrow().id();
        commit(List.of(new PartitionChangeRecord(id, 0, Optional.of(isr), OptionalInt.of(leader))));
    }

    void fence(int id) {
        fenced.add(id);
    }

    void unfence(int id) {
        fenced.remove(id);
    }

    /** How many ISR changes the leaders have asked the controller for. */
    int isrChangesAsked() {
        return isrChangesAsked.get();
    }

    PartitionImage partitionImage(String topic) {
        return image.topic(topic).orElseThrow().partition(0).orElseThrow();
    }

    /** Applies records as one committed batch of the metadata log and publishes it to every node. */
    private void commit(List<MetadataRecord> records) {
        CompletableFuture.runAsync(() -> {
            MetadataDelta delta = new MetadataDelta(image);
            records.forEach(delta::replay);
            MetadataImage next = delta.apply();
            image = next;
            nodes.values().forEach(node -> node.publish(delta, next));
        }, controller).join();
        // Brokers apply committed metadata on a thread of their own; the tests act on the result.
        nodes.values().forEach(Node::awaitApplied);
    }

    /** AlterPartition as the controller answers it. */
    private CompletableFuture<CommittedIsr> alterPartition(IsrChange change) {
        CompletableFuture<CommittedIsr> answer = new CompletableFuture<>();
        isrChangesAsked.incrementAndGet();
        controller.execute(() -> {
            PartitionImage current = image.topic(change.topicId()).orElseThrow().partition(change.partition())
                    .orElseThrow();
            if (current.leaderEpoch() != change.leaderEpoch() || current.leader() != change.leaderId()) {
                answer.completeExceptionally(new ApiException(Errors.FENCED_LEADER_EPOCH, "stale leader"));
                return;
            }
            if (current.partitionEpoch() != change.partitionEpoch()) {
                answer.completeExceptionally(new ApiException(Errors.INVALID_UPDATE_VERSION, "stale partition epoch"));
                return;
            }
            if (change.newIsr().stream().anyMatch(fenced::contains)) {
                answer.completeExceptionally(new ApiException(Errors.INELIGIBLE_REPLICA, "fenced replica"));
                return;
            }
            MetadataDelta delta = new MetadataDelta(image);
            delta.replay(new PartitionChangeRecord(change.topicId(), change.partition(), Optional.of(change.newIsr()),
                    OptionalInt.empty()));
            MetadataImage next = delta.apply();
            image = next;
            nodes.values().forEach(node -> node.publish(delta, next));
            PartitionImage committed = next.topic(change.topicId()).orElseThrow().partition(change.partition())
                    .orElseThrow();
            answer.complete(new CommittedIsr(committed.leader(), committed.leaderEpoch(), committed.isr(),
                    committed.partitionEpoch()));
        });
        return answer;
    }

    @Override
    public void close() {
        nodes.values().forEach(Node::resume);
        nodes.values().forEach(Node::stop);
        controller.shutdownNow();
    }

    /** One broker's partitions, purgatories, fetchers and the two handlers followers call. */
    final class Node {
        private final int id;
        private final Path dir;
        private volatile CompletableFuture<Void> running = CompletableFuture.completedFuture(null);
        private volatile boolean stopped = true;
        /** Requests this node is serving: they fail when it stops, as a closed connection's would. */
        private final Set<CompletableFuture<?>> serving = ConcurrentHashMap.newKeySet();
        private LogManager logManager;
        private Purgatory<TopicPartition> fetchPurgatory;
        private Purgatory<TopicPartition> producePurgatory;
        private ExecutorService io;
        private ReplicaManager replicaManager;
        private FetchHandler fetchHandler;
        private OffsetForLeaderEpochHandler epochHandler;
        private MetricRegistry metrics;

        Node(int id) {
            this.id = id;
            this.dir = baseDir.resolve("node-" + id);
        }

        void start() {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            logManager = new LogManager(LogManagerConfig.defaults(List.of(dir)), Clock.systemUTC());
            logManager.startup();
            fetchPurgatory = new Purgatory<>("fetch-" + id);
            producePurgatory = new Purgatory<>("produce-" + id);
            io = Executors.newFixedThreadPool(2);
            PartitionEnvironment env = new PartitionEnvironment(id, fetchPurgatory, producePurgatory,
                    InProcessCluster.this::alterPartition, replica -> !fenced.contains(replica),
                    Clock.systemUTC(), new PartitionMeters(new MetricRegistry()));
            ReplicaFetcherManager fetchers = new ReplicaFetcherManager(id, config,
                    leader -> new LocalEndpoint(this, nodes.get(leader)), Clock.systemUTC());
            replicaManager = new ReplicaManager(logManager, env, fetchers, config, image, unused -> Map.of());
            metrics = new MetricRegistry();
            fetchHandler = new FetchHandler(replicaManager, fetchPurgatory, io, ReplicaSelector.LEADER,
                    ClientQuotaManager.unlimited(), new FetchSessionCache(FetchSessionCache.DEFAULT_SLOTS,
                            FetchSessionCache.EVICTION_MS, System::currentTimeMillis, metrics));
            epochHandler = new OffsetForLeaderEpochHandler(replicaManager);
            stopped = false;
            CompletableFuture.runAsync(() -> replicaManager.loadImage(image), controller).join();
        }

        void awaitApplied() {
            if (!stopped) {
                replicaManager.awaitApplied().join();
            }
        }

        private void publish(MetadataDelta delta, MetadataImage next) {
            if (!stopped) {
                replicaManager.onMetadataUpdate(delta, next);
            }
        }

        /** A gauge of this node's FetchSessionCache, as {@code kafka.server:type=FetchSessionCache,name=NAME}. */
        int fetchSessionGauge(String name) {
            return (Integer) metrics.getGauges().get("kafka.server:type=FetchSessionCache,name=" + name).getValue();
        }

        /** A Fetch handler of this node's partitions that reads on {@code ioExecutor}. */
        FetchHandler fetchHandler(Executor ioExecutor) {
            return new FetchHandler(replicaManager, fetchPurgatory, ioExecutor);
        }

        /** A Fetch handler of this node's partitions that sends consumers where {@code selector} says. */
        FetchHandler fetchHandler(ReplicaSelector selector) {
            return new FetchHandler(replicaManager, fetchPurgatory, io, selector);
        }

        Partition partition(String topic) {
            return replicaManager.partition(topic, 0).orElseThrow();
        }

        Path partitionDir(String topic) {
            return dir.resolve(topic + "-0");
        }

        /** Like SIGSTOP for replication: this node's fetchers stop getting answers. */
        void pause() {
            running = new CompletableFuture<>();
        }

        void resume() {
            running.complete(null);
        }

        /** A clean stop: the logs close, requests in progress fail; {@link #start()} brings it back. */
        void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            serving.forEach(request -> request.completeExceptionally(new ConnectException("broker " + id + " stopped")));
            replicaManager.close();
            io.shutdownNow();
            fetchPurgatory.close();
            producePurgatory.close();
            logManager.shutdown();
        }
    }

    /**
     * A follower's connection to a leader: requests go to the leader's handlers once the
     * follower is not paused, and fetched file regions are read into memory as a socket would.
     */
    private static final class LocalEndpoint implements LeaderEndpoint {
        /** The versions NodeLeaderEndpoint sends. */
        private static final short FETCH_VERSION = 17;
        private static final short OFFSET_FOR_LEADER_EPOCH_VERSION = 4;

        private final Node follower;
        private final Node leader;

        LocalEndpoint(Node follower, Node leader) {
            this.follower = follower;
            this.leader = leader;
        }

        @Override
        public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
            return follower.running.thenCompose(ignored -> reachable())
                    .thenCompose(ignored -> served(leader.fetchHandler.handle(context(ApiKey.FETCH, FETCH_VERSION),
                            overTheWire(request, FETCH_VERSION))))
                    .thenApply(LocalEndpoint::inMemory)
                    .thenCompose(this::whenAwake);
        }

        @Override
        public CompletableFuture<OffsetForLeaderEpochResponse> offsetForLeaderEpoch(OffsetForLeaderEpochRequest request) {
            return follower.running.thenCompose(ignored -> reachable())
                    .thenCompose(ignored -> leader.epochHandler.handle(
                            context(ApiKey.OFFSET_FOR_LEADER_EPOCH, OFFSET_FOR_LEADER_EPOCH_VERSION),
                            overTheWire(request, OFFSET_FOR_LEADER_EPOCH_VERSION)))
                    .thenCompose(this::whenAwake);
        }

        /** A response reaching a paused follower is read when it resumes. */
        private <T> CompletableFuture<T> whenAwake(T response) {
            return follower.running.thenApply(ignored -> response);
        }

        private <T> CompletableFuture<T> served(CompletableFuture<T> response) {
            leader.serving.add(response);
            response.whenComplete((answer, failure) -> leader.serving.remove(response));
            if (leader.stopped) { // stopped while this request was on its way in
                response.completeExceptionally(new ConnectException("broker " + leader.id + " stopped"));
            }
            return response;
        }

        private CompletableFuture<Void> reachable() {
            return leader.stopped ? CompletableFuture.failedFuture(new ConnectException("broker " + leader.id + " is down"))
                    : CompletableFuture.completedFuture(null);
        }

        /** Encodes and decodes a request as the network would: fields a version cannot carry fail here. */
        @SuppressWarnings("unchecked")
        private static <T extends ApiMessage> T overTheWire(T message, short version) {
            ByteBufferWriter writer = new ByteBufferWriter();
            message.write(writer, version);
            try {
                T decoded = (T) message.getClass().getDeclaredConstructor().newInstance();
                decoded.read(new Readable(writer.toByteBuffer()), version);
                return decoded;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        private static RequestContext context(ApiKey key, int version) {
            return new RequestContext(key.id(), (short) version, 1, "replica-fetcher", "in-process",
                    InetAddress.getLoopbackAddress(), "REPLICATION");
        }

        private static FetchResponse inMemory(FetchResponse response) {
            for (FetchResponse.FetchableTopicResponse topic : response.responses()) {
                for (FetchResponse.PartitionData data : topic.partitions()) {
                    if (data.records() instanceof FileRecords file) {
                        try {
                            data.setRecords(new MemoryRecords(file.readAll()));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            }
            return response;
        }

        @Override
        public void close() {
        }
    }

    /** One uncompressed batch of the given values, without keys. */
    static MemoryRecords batch(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
        }
        return new MemoryRecords(org.apache.kafka.common.record.MemoryRecords.withRecords(Compression.NONE, records)
                .buffer());
    }
}
