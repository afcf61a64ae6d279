package io.gregor.broker;

import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.admin.AlterConfigsHandler;
import io.gregor.broker.api.admin.BrokerConfigView;
import io.gregor.broker.api.admin.CreatePartitionsHandler;
import io.gregor.broker.api.admin.CreateTopicsHandler;
import io.gregor.broker.api.admin.DeleteTopicsHandler;
import io.gregor.broker.api.admin.DescribeConfigsHandler;
import io.gregor.broker.api.admin.IncrementalAlterConfigsHandler;
import io.gregor.broker.api.admin.TopicConfigCatalog;
import io.gregor.broker.api.fetch.FetchHandler;
import io.gregor.broker.api.group.ConsumerGroupDescribeHandler;
import io.gregor.broker.api.group.ConsumerGroupHeartbeatHandler;
import io.gregor.broker.api.group.DeleteGroupsHandler;
import io.gregor.broker.api.group.DescribeGroupsHandler;
import io.gregor.broker.api.group.FindCoordinatorHandler;
import io.gregor.broker.api.group.HeartbeatHandler;
import io.gregor.broker.api.group.JoinGroupHandler;
import io.gregor.broker.api.group.LeaveGroupHandler;
import io.gregor.broker.api.group.ListGroupsHandler;
import io.gregor.broker.api.group.OffsetCommitHandler;
import io.gregor.broker.api.group.OffsetDeleteHandler;
import io.gregor.broker.api.group.OffsetFetchHandler;
import io.gregor.broker.api.group.SyncGroupHandler;
import io.gregor.broker.api.group.TxnOffsetCommitHandler;
import io.gregor.broker.api.logdirs.DescribeLogDirsHandler;
import io.gregor.broker.api.meta.ApiVersionsHandler;
import io.gregor.broker.api.meta.BrokerIdentity;
import io.gregor.broker.api.meta.DescribeClusterHandler;
import io.gregor.broker.api.meta.DescribeTopicPartitionsHandler;
import io.gregor.broker.api.meta.FinalizedFeatures;
import io.gregor.broker.api.meta.MetadataHandler;
import io.gregor.broker.api.meta.SupportedFeature;
import io.gregor.broker.api.offsets.DeleteRecordsHandler;
import io.gregor.broker.api.offsets.ListOffsetsHandler;
import io.gregor.broker.api.offsets.OffsetForLeaderEpochHandler;
import io.gregor.broker.api.produce.ProduceHandler;
import io.gregor.broker.api.txn.DescribeProducersHandler;
import io.gregor.broker.api.txn.InitProducerIdHandler;
import io.gregor.broker.api.txn.WriteTxnMarkersHandler;
import io.gregor.broker.config.BrokerConfig;
import io.gregor.broker.config.BrokerConfigViews;
import io.gregor.broker.config.Listener;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.broker.group.GroupCoordinatorConfig;
import io.gregor.broker.network.SocketServer;
import io.gregor.broker.network.SocketServerConfig;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.broker.purgatory.Purgatory;
import io.gregor.broker.txn.LocalTransactionMarkerWriter;
import io.gregor.broker.txn.OffsetsTransactionCheck;
import io.gregor.broker.txn.ProducerIdManager;
import io.gregor.broker.txn.TransactionMarkerWriter;
import io.gregor.metadata.control.ConfigSchema;
import io.gregor.metadata.control.ControllerSettings;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.quorum.LocalMetadataLog;
import io.gregor.metadata.quorum.MetaProperties;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.ConfigResourceType;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.config.ConfigDef;
import io.gregor.storage.log.LogConfig;
import io.gregor.storage.log.LogManager;
import io.gregor.storage.log.LogManagerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Gregor node, assembled: the log manager over {@code log.dirs}, the metadata controller
 * over its local metadata log, the partitions this broker hosts, the handlers of every API it
 * serves, and the network server in front of them.
 *
 * <p>Start-up order matters: the metadata log is replayed first, then the partition logs are
 * loaded (recovering unclean tails) with the configs the metadata gives their topics, then the
 * partitions are opened, and only then does the network accept requests. Shutdown runs the
 * other way, and ends by flushing every log and marking the directories clean, so the next start
 * needs no recovery.
 */
public final class Broker {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    private static final long SHUTDOWN_WAIT_SECONDS = 30;
    /** Threads the group coordinator's shards share; group work is light, and each shard needs one. */
    private static final int GROUP_COORDINATOR_THREADS = 2;

    private final BrokerConfig config;
    private final List<AutoCloseable> started = new ArrayList<>();
    private SocketServer socketServer;

    public Broker(BrokerConfig config) {
        this.config = config;
    }

    /** Starts the broker; returns once it accepts connections. */
    public synchronized void startup() {
        long start = System.nanoTime();
        try {
            List<Path> logDirs = config.logDirs();
            MetaProperties meta = MetaProperties.loadOrCreate(logDirs.get(0), config.nodeId(), Optional.empty());

            QuorumController controller = startController(meta, logDirs.get(0));
            MetadataImage image = controller.start().join();

            LogManager logManager = new LogManager(logManagerConfig(), Clock.systemUTC());
            logManager.startup(topic -> logManager.logConfig(
                    image.configs(new ConfigResource(ConfigResourceType.TOPIC, topic))));
            started.add(logManager::shutdown);

            Purgatory<TopicPartition> fetchPurgatory = new Purgatory<>("fetch");
            started.add(fetchPurgatory);
            ExecutorService ioExecutor = Executors.newFixedThreadPool(config.numIoThreads(), daemonThreads("gregor-io-"));
            started.add(() -> shutdownExecutor(ioExecutor));

            ReplicaManager replicaManager = new ReplicaManager(config.nodeId(), logManager, fetchPurgatory, image);
            GroupCoordinator groupCoordinator = new GroupCoordinator(groupCoordinatorConfig(), controller,
                    GROUP_COORDINATOR_THREADS, Clock.systemUTC());
            started.add(groupCoordinator);
            // Before the image is loaded, so that the offsets partitions led here start loading
            // their groups as soon as they are opened.
            replicaManager.addLeadershipListener(groupCoordinator);
            replicaManager.loadImage(image);
            controller.addPublisher(replicaManager);
            controller.addPublisher(groupCoordinator);

            HandlerRegistry registry = new HandlerRegistry();
            registerHandlers(registry, controller, replicaManager, fetchPurgatory, ioExecutor,
                    new ProducerIdManager(logDirs.get(0)));
            registerGroupHandlers(registry, groupCoordinator);
            LocalTransactionMarkerWriter markerWriter = new LocalTransactionMarkerWriter(replicaManager,
                    Clock.systemUTC());
            markerWriter.addListener(groupCoordinator);
            registerTransactionDataHandlers(registry, markerWriter, replicaManager, ioExecutor);
            socketServer = new SocketServer(socketServerConfig(), registry);
            socketServer.start();
            started.add(socketServer);

            controller.registerBroker(identity().toRegistration()).join();
            LOG.info("Gregor node {} started in {} ms: cluster {}, listeners {}, data in {}", config.nodeId(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), meta.clusterId(),
                    config.listeners().stream().map(l -> l.name() + "://" + l.host() + ":" + boundPort(l.name()))
                            .toList(),
                    logDirs);
        } catch (RuntimeException | IOException e) {
            shutdown();
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getMessage(), e);
        }
    }

    private QuorumController startController(MetaProperties meta, Path metadataDir) {
        ConfigSchema schema = new ConfigSchema(LogConfig.DEFINITION, new ConfigDef());
        ControllerSettings settings = new ControllerSettings(config.numPartitions(),
                config.defaultReplicationFactor(), schema);
        QuorumController controller = new QuorumController(meta.clusterId(), new LocalMetadataLog(metadataDir),
                settings);
        started.add(controller);
        return controller;
    }

    private void registerHandlers(HandlerRegistry registry, QuorumController controller,
                                  ReplicaManager replicaManager, Purgatory<TopicPartition> fetchPurgatory,
                                  ExecutorService ioExecutor, ProducerIdManager producerIds) {
        BrokerConfigView brokerView = BrokerConfigViews.brokerView(config);
        TopicConfigCatalog topicCatalog = BrokerConfigViews.topicCatalog(config);
        // The metadata handlers take this node's id from here; every broker's endpoints come
        // from the metadata image, where this broker registers once its ports are bound.
        BrokerIdentity self = new BrokerIdentity(config.nodeId(), configuredEndpoints(), config.brokerRack());
        // group.version 1: the consumer group protocol (KIP-848) is served.
        List<SupportedFeature> features = new ArrayList<>(SupportedFeature.kraftBaseline());
        features.add(new SupportedFeature(SupportedFeature.GROUP_VERSION, (short) 0, SupportedFeature.GROUP_VERSION_1));
        registry.register(new ApiVersionsHandler(registry, features,
                () -> FinalizedFeatures.kraftBaseline(controller.image().nextOffset(), (short) 0,
                        Map.of(SupportedFeature.GROUP_VERSION, SupportedFeature.GROUP_VERSION_1))));
        registry.register(new MetadataHandler(controller, self, config.autoCreateTopicsEnable()));
        registry.register(new DescribeClusterHandler(controller, self));
        registry.register(new DescribeTopicPartitionsHandler(controller));
        registry.register(new ProduceHandler(replicaManager));
        registry.register(new FetchHandler(replicaManager, fetchPurgatory, ioExecutor));
        registry.register(new ListOffsetsHandler(replicaManager, ioExecutor));
        registry.register(new OffsetForLeaderEpochHandler(replicaManager));
        registry.register(new DeleteRecordsHandler(replicaManager, ioExecutor));
        registry.register(new DescribeLogDirsHandler(replicaManager, ioExecutor));
        registry.register(new InitProducerIdHandler(producerIds, ioExecutor));
        registry.register(new CreateTopicsHandler(controller, topicCatalog, brokerView));
        registry.register(new DeleteTopicsHandler(controller, config.deleteTopicEnable()));
        registry.register(new CreatePartitionsHandler(controller));
        registry.register(new DescribeConfigsHandler(controller, config.nodeId(), topicCatalog, brokerView));
        registry.register(new AlterConfigsHandler(controller));
        registry.register(new IncrementalAlterConfigsHandler(controller));
    }

    /** The data-partition side of transactions: markers and producer state. */
    private static void registerTransactionDataHandlers(HandlerRegistry registry, TransactionMarkerWriter markerWriter,
                                                        ReplicaManager replicaManager, ExecutorService ioExecutor) {
        registry.register(new WriteTxnMarkersHandler(markerWriter, ioExecutor));
        registry.register(new DescribeProducersHandler(replicaManager));
    }

    private static void registerGroupHandlers(HandlerRegistry registry, GroupCoordinator coordinator) {
        registry.register(new FindCoordinatorHandler(coordinator));
        registry.register(new JoinGroupHandler(coordinator));
        registry.register(new SyncGroupHandler(coordinator));
        registry.register(new HeartbeatHandler(coordinator));
        registry.register(new LeaveGroupHandler(coordinator));
        registry.register(new OffsetCommitHandler(coordinator));
        registry.register(new OffsetFetchHandler(coordinator));
        // No transaction coordinator yet: transactional offset commits are not checked against one.
        registry.register(new TxnOffsetCommitHandler(coordinator, OffsetsTransactionCheck.NONE));
        registry.register(new ListGroupsHandler(coordinator));
        registry.register(new DescribeGroupsHandler(coordinator));
        registry.register(new DeleteGroupsHandler(coordinator));
        registry.register(new OffsetDeleteHandler(coordinator));
        registry.register(new ConsumerGroupHeartbeatHandler(coordinator));
        registry.register(new ConsumerGroupDescribeHandler(coordinator));
    }

    private GroupCoordinatorConfig groupCoordinatorConfig() {
        return new GroupCoordinatorConfig(config.offsetsTopicNumPartitions(), config.offsetsTopicReplicationFactor(),
                config.groupInitialRebalanceDelayMs(), config.groupMinSessionTimeoutMs(),
                config.groupMaxSessionTimeoutMs(), config.groupMaxSize(), config.offsetMetadataMaxBytes(),
                config.offsetsRetentionMs(), config.offsetsRetentionCheckIntervalMs(),
                new GroupCoordinatorConfig.ConsumerProtocol(config.groupConsumerSessionTimeoutMs(),
                        config.groupConsumerHeartbeatIntervalMs(), config.groupConsumerAssignors()));
    }

    /** This broker as clients should reach it: advertised listeners, with bound ports for port 0. */
    private BrokerIdentity identity() {
        List<BrokerEndpoint> endpoints = new ArrayList<>();
        for (Listener listener : config.advertisedListeners()) {
            int port = listener.port() == 0 ? boundPort(listener.name()) : listener.port();
            endpoints.add(new BrokerEndpoint(listener.name(), advertisedHost(listener.host()), port));
        }
        return new BrokerIdentity(config.nodeId(), endpoints, config.brokerRack());
    }

    private List<BrokerEndpoint> configuredEndpoints() {
        return config.advertisedListeners().stream()
                .map(l -> new BrokerEndpoint(l.name(), advertisedHost(l.host()), l.port()))
                .toList();
    }

    /** A listener bound to every interface is advertised under this machine's name, as Kafka does. */
    private static String advertisedHost(String host) {
        if (!host.isEmpty() && !host.equals("0.0.0.0") && !host.equals("::")) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private LogManagerConfig logManagerConfig() {
        return new LogManagerConfig(config.logDirs(), Map.copyOf(config.logDefaults()),
                config.logRetentionCheckIntervalMs(), config.logFlushSchedulerIntervalMs(), 1,
                config.producerIdExpirationMs(), config.producerIdExpirationCheckIntervalMs())
                .withCleaner(config.logCleanerConfig());
    }

    private SocketServerConfig socketServerConfig() {
        List<SocketServerConfig.Listener> listeners = config.listeners().stream()
                .map(l -> new SocketServerConfig.Listener(l.name(), l.host(), l.port()))
                .toList();
        return new SocketServerConfig(listeners, config.numNetworkThreads(), config.socketRequestMaxBytes(),
                SocketServerConfig.DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
    }

    /** The port a listener is bound to; useful when it was configured as port 0. */
    public synchronized int boundPort(String listenerName) {
        if (socketServer == null) {
            throw new IllegalStateException("The broker is not started");
        }
        return socketServer.boundPort(listenerName);
    }

    /**
     * Stops accepting requests, then closes what was started in reverse order: the log manager
     * last, flushing every log and marking its directories clean.
     */
    public synchronized void shutdown() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("Error while shutting down: {}", e.toString());
            }
        }
        started.clear();
        socketServer = null;
    }

    private static void shutdownExecutor(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
