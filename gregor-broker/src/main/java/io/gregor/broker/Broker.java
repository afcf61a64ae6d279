package io.gregor.broker;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.admin.AlterConfigsHandler;
import io.gregor.broker.api.acl.CreateAclsHandler;
import io.gregor.broker.api.acl.DeleteAclsHandler;
import io.gregor.broker.api.acl.DescribeAclsHandler;
import io.gregor.broker.api.admin.AlterClientQuotasHandler;
import io.gregor.broker.api.admin.AlterUserScramCredentialsHandler;
import io.gregor.broker.api.admin.BrokerConfigView;
import io.gregor.broker.api.admin.CreatePartitionsHandler;
import io.gregor.broker.api.admin.CreateTopicsHandler;
import io.gregor.broker.api.admin.DeleteTopicsHandler;
import io.gregor.broker.api.admin.DescribeConfigsHandler;
import io.gregor.broker.api.admin.DescribeClientQuotasHandler;
import io.gregor.broker.api.admin.DescribeUserScramCredentialsHandler;
import io.gregor.broker.api.admin.IncrementalAlterConfigsHandler;
import io.gregor.broker.api.admin.OwnConfigsCheckedAlterConfigs;
import io.gregor.broker.api.admin.OwnConfigsCheckedIncrementalAlterConfigs;
import io.gregor.broker.api.admin.TopicConfigCatalog;
import io.gregor.broker.api.cluster.AlterPartitionHandler;
import io.gregor.broker.api.cluster.AlterPartitionReassignmentsHandler;
import io.gregor.broker.api.cluster.BrokerHeartbeatHandler;
import io.gregor.broker.api.cluster.BrokerRegistrationHandler;
import io.gregor.broker.api.cluster.DescribeQuorumHandler;
import io.gregor.broker.api.cluster.ElectLeadersHandler;
import io.gregor.broker.api.cluster.ListPartitionReassignmentsHandler;
import io.gregor.broker.api.cluster.UnregisterBrokerHandler;
import io.gregor.broker.api.fetch.FetchHandler;
import io.gregor.broker.api.fetch.FetchSessionCache;
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
import io.gregor.broker.api.security.SaslAuthenticateHandler;
import io.gregor.broker.api.security.SaslHandshakeHandler;
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
import io.gregor.broker.api.txn.AddOffsetsToTxnHandler;
import io.gregor.broker.api.txn.AddPartitionsToTxnHandler;
import io.gregor.broker.api.txn.DescribeProducersHandler;
import io.gregor.broker.api.txn.DescribeTransactionsHandler;
import io.gregor.broker.api.txn.EndTxnHandler;
import io.gregor.broker.api.txn.InitProducerIdHandler;
import io.gregor.broker.api.txn.ListTransactionsHandler;
import io.gregor.broker.api.txn.WriteTxnMarkersHandler;
import io.gregor.broker.client.ClientTls;
import io.gregor.broker.client.NodeClientConfig;
import io.gregor.broker.client.NodeClients;
import io.gregor.broker.cluster.BrokerLifecycle;
import io.gregor.broker.cluster.ControllerApiServer;
import io.gregor.broker.cluster.EnvelopeHandler;
import io.gregor.broker.cluster.ControllerChannel;
import io.gregor.broker.cluster.CreateTopicsForwarder;
import io.gregor.broker.cluster.ForwardingHandler;
import io.gregor.broker.api.token.CreateDelegationTokenHandler;
import io.gregor.broker.api.token.DescribeDelegationTokenHandler;
import io.gregor.broker.api.token.ExpireDelegationTokenHandler;
import io.gregor.broker.api.token.RenewDelegationTokenHandler;
import io.gregor.broker.security.MetadataScramCredentials;
import io.gregor.broker.config.BrokerConfig;
import io.gregor.broker.config.BrokerConfigViews;
import io.gregor.broker.config.DynamicBrokerConfig;
import io.gregor.broker.network.ListenerCertificates;
import io.gregor.broker.api.admin.BrokerConfigCheck;
import io.gregor.broker.config.Listener;
import io.gregor.broker.config.TlsSettings;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.broker.group.GroupMetadataGauges;
import io.gregor.broker.group.GroupCoordinatorConfig;
import io.gregor.broker.metrics.IdleMeters;
import io.gregor.broker.metrics.NetworkMetrics;
import io.gregor.broker.metrics.NodeGauges;
import io.gregor.broker.metrics.PartitionMeters;
import io.gregor.broker.metrics.TimedThreadPool;
import io.gregor.broker.network.SocketServer;
import io.gregor.broker.network.SocketServerConfig;
import io.gregor.broker.network.TlsContextFactory;
import io.gregor.broker.security.AclAuthorizer;
import io.gregor.broker.security.Authorizer;
import io.gregor.broker.security.ListenerAuthentication;
import io.gregor.broker.partition.PartitionEnvironment;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.broker.purgatory.Purgatory;
import io.gregor.broker.quota.ClientQuotas;
import io.gregor.broker.replication.ControllerIsrChangeChannel;
import io.gregor.broker.replication.IsrChangeChannel;
import io.gregor.broker.replication.LeaderEndpoint;
import io.gregor.broker.replication.NodeLeaderEndpoint;
import io.gregor.broker.replication.ReplicaFetcherManager;
import io.gregor.broker.replication.ReplicationConfig;
import io.gregor.broker.txn.BrokerChannels;
import io.gregor.broker.txn.BrokerTransactionCoordinatorClient;
import io.gregor.broker.txn.ClusterTransactionMarkerWriter;
import io.gregor.broker.txn.LocalTransactionMarkerWriter;
import io.gregor.broker.txn.ProducerIdManager;
import io.gregor.broker.txn.RemoteTransactionCoordinator;
import io.gregor.broker.txn.TransactionMarkerWriter;
import io.gregor.broker.txn.TransactionVerifier;
import io.gregor.broker.txn.coordinator.TransactionCoordinator;
import io.gregor.broker.txn.coordinator.TransactionCoordinatorConfig;
import io.gregor.metadata.control.ConfigSchema;
import io.gregor.metadata.control.ControllerSettings;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.quorum.LocalMetadataLog;
import io.gregor.metadata.quorum.MetaProperties;
import io.gregor.metadata.quorum.MetadataLog;
import io.gregor.metadata.quorum.QuorumVoter;
import io.gregor.metadata.quorum.RaftMetadataLog;
import io.gregor.metadata.quorum.QuorumTls;
import io.gregor.metadata.quorum.RaftQuorumSettings;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.ConfigResourceType;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.config.ConfigException;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.wire.ApiMessage;
import io.gregor.storage.log.LogConfig;
import io.gregor.storage.log.LogManager;
import io.gregor.storage.log.LogManagerConfig;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
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
    /** Threads the transaction coordinator's shards share; each request is a little work and a log append. */
    private static final int TRANSACTION_COORDINATOR_THREADS = 2;

    /** How long a stopping cluster node waits for the controller to move its leaderships away. */
    private static final long CONTROLLED_SHUTDOWN_TIMEOUT_MS = 10_000;
    private static final int NODE_CLIENT_THREADS = 1;
    /** The controller APIs a broker that is not the active controller passes on to it, in an Envelope. */
    private static final Set<Short> FORWARDED_APIS = Set.of(ApiKey.DELETE_TOPICS.id(), ApiKey.CREATE_PARTITIONS.id(),
            ApiKey.ALTER_CONFIGS.id(), ApiKey.INCREMENTAL_ALTER_CONFIGS.id(), ApiKey.ELECT_LEADERS.id(),
            ApiKey.ALTER_PARTITION_REASSIGNMENTS.id(), ApiKey.LIST_PARTITION_REASSIGNMENTS.id(),
            ApiKey.UNREGISTER_BROKER.id(), ApiKey.ALTER_USER_SCRAM_CREDENTIALS.id(),
            ApiKey.CREATE_ACLS.id(), ApiKey.DELETE_ACLS.id(), ApiKey.ALTER_CLIENT_QUOTAS.id(),
            ApiKey.DESCRIBE_QUORUM.id(), ApiKey.CREATE_DELEGATION_TOKEN.id(), ApiKey.RENEW_DELEGATION_TOKEN.id(),
            ApiKey.EXPIRE_DELEGATION_TOKEN.id());

    private final BrokerConfig config;
    /** The configuration with the dynamic broker configs of the metadata image laid over it. */
    private final DynamicBrokerConfig dynamicConfig;
    private final MetricRegistry metrics;
    private final List<AutoCloseable> started = new ArrayList<>();
    private SocketServer socketServer;
    /** Started as a controller-only node: no network server of its own, the Raft server listens. */
    private boolean controllerOnly;
    private Optional<BrokerLifecycle> lifecycle = Optional.empty();
    private Optional<ControllerChannel> controllerChannel = Optional.empty();
    private Optional<NodeClients> nodeClients = Optional.empty();
    /** In a cluster: connections to the other brokers, for transaction markers and verification. */
    private Optional<BrokerChannels> brokerChannels = Optional.empty();

    /** The TLS contexts of this broker's listeners, which dynamic configs can replace; none on a controller-only node. */
    private Optional<ListenerCertificates> certificates = Optional.empty();

    /** Completes when this node finds it cannot go on (see {@link #fatalError()}). */
    private final CompletableFuture<RuntimeException> fatalError = new CompletableFuture<>();

    /** A broker whose meters are kept in memory only (tests, and nodes no one monitors). */
    public Broker(BrokerConfig config) {
        this(config, new MetricRegistry());
    }

    /** @param metrics where the broker's meters go: the server's JMX registry */
    public Broker(BrokerConfig config, MetricRegistry metrics) {
        this.config = config;
        this.dynamicConfig = new DynamicBrokerConfig(config);
        this.metrics = metrics;
    }

    /** Starts the broker; returns once it accepts connections. */
    public synchronized void startup() {
        long start = System.nanoTime();
        try {
            // first, so that an unreadable key store stops the start before any log is opened
            ListenerCertificates listenerTls = new ListenerCertificates(dynamicConfig, serverTls());
            certificates = Optional.of(listenerTls);
            List<Path> logDirs = config.logDirs();
            MetaProperties meta = MetaProperties.loadOrCreate(logDirs.get(0), config.nodeId(), wantedClusterId());

            QuorumController controller = startController(meta, logDirs.get(0));
            // Made before any API is served: the controller APIs count partition mutations against them.
            ClientQuotas quotas = new ClientQuotas(config.quotaWindowNum(),
                    TimeUnit.SECONDS.toMillis(config.quotaWindowSizeSeconds()), metrics);
            // before the metadata is replayed, so that a bad JAAS configuration stops the start early
            Map<String, ListenerAuthentication> sasl = saslListeners(controller);
            started.addAll(sasl.values());
            if (config.clusterMode() && config.isController()) {
                // Other nodes reach this one on its controller listener while it is the active controller.
                controller.serveControllerRequests(new ControllerApiServer(
                        controllerApis(controller, quotas).register(envelopes(controller, quotas)),
                        config.controllerListenerName().orElseThrow(), authorizer(controller)));
                controller.startBrokerSessions(config.brokerSessionTimeoutMs(),
                        config.autoLeaderRebalanceEnable() ? config.leaderImbalanceCheckIntervalMs() : 0);
            }
            MetadataImage image = controller.start().join();
            controller.startDelegationTokenExpiry();
            listenerTls.load(image);
            controller.addPublisher(listenerTls);
            NodeGauges.controller(metrics, controller::isActive, controller::image);
            controller.addPublisher(quotas);
            // after subscribing, so that no quota committed since the start is missed
            quotas.load(controller.image());
            if (!config.isBroker()) {
                controllerOnly = true;
                LOG.info("Gregor controller node {} started in {} ms: cluster {}, listeners {}, metadata in {}",
                        config.nodeId(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), meta.clusterId(),
                        config.listeners(), logDirs.get(0));
                return;
            }
            if (config.clusterMode()) {
                // Every NodeClient goes to another broker's inter-broker listener, TLS and SASL or not.
                NodeClients nodeClients = new NodeClients(nodeClientConfig(), NODE_CLIENT_THREADS);
                started.add(nodeClients);
                this.nodeClients = Optional.of(nodeClients);
                BrokerChannels channels = new BrokerChannels(controller, nodeClients, config.interBrokerListenerName());
                started.add(channels);
                brokerChannels = Optional.of(channels);
                ControllerChannel channel = new ControllerChannel(controller, nodeClients,
                        config.interBrokerListenerName());
                started.add(channel);
                controllerChannel = Optional.of(channel);
                controller.setTopicCreationForwarder(new CreateTopicsForwarder(channel));
            }

            LogManager logManager = new LogManager(logManagerConfig(dynamicConfig.effective(image)), Clock.systemUTC());
            logManager.startup(topic -> logManager.logConfig(
                    image.configs(new ConfigResource(ConfigResourceType.TOPIC, topic))));
            started.add(logManager::shutdown);

            Purgatory<TopicPartition> fetchPurgatory = new Purgatory<>("fetch");
            started.add(fetchPurgatory);
            TimedThreadPool ioExecutor = new TimedThreadPool(dynamicConfig.effective(image).numIoThreads(),
                    daemonThreads("gregor-io-"));
            started.add(() -> shutdownExecutor(ioExecutor));

            Purgatory<TopicPartition> producePurgatory = new Purgatory<>("produce");
            started.add(producePurgatory);
            NodeGauges.purgatory(metrics, "Fetch", fetchPurgatory::pendingDeadlines, fetchPurgatory::watched);
            NodeGauges.purgatory(metrics, "Produce", producePurgatory::pendingDeadlines, producePurgatory::watched);
            ReplicaManager replicaManager = replicaManager(controller, logManager, fetchPurgatory, producePurgatory,
                    image);
            started.add(replicaManager);
            NodeGauges.replicaManager(metrics, replicaManager::partitionCount, replicaManager::leaderCount,
                    replicaManager::underReplicatedPartitionCount, replicaManager::underMinIsrPartitionCount);
            GroupCoordinator groupCoordinator = new GroupCoordinator(groupCoordinatorConfig(), controller,
                    config.nodeId(), GROUP_COORDINATOR_THREADS, Clock.systemUTC());
            started.add(groupCoordinator);
            GroupMetadataGauges.register(metrics, groupCoordinator);
            LocalTransactionMarkerWriter markerWriter = new LocalTransactionMarkerWriter(replicaManager,
                    Clock.systemUTC());
            markerWriter.addListener(groupCoordinator);
            ProducerIdManager producerIds = new ProducerIdManager(logDirs.get(0), config.nodeId());
            // In a cluster the coordinator reaches the leaders of other brokers' partitions, and
            // partition leaders the coordinators on other brokers.
            TransactionMarkerWriter coordinatorMarkers = brokerChannels.<TransactionMarkerWriter>map(channels ->
                    new ClusterTransactionMarkerWriter(config.nodeId(), markerWriter, replicaManager, controller,
                            channels)).orElse(markerWriter);
            RemoteTransactionCoordinator remoteCoordinator = brokerChannels.<RemoteTransactionCoordinator>map(
                    BrokerTransactionCoordinatorClient::new).orElse(RemoteTransactionCoordinator.NONE);
            TransactionCoordinator transactionCoordinator = new TransactionCoordinator(
                    transactionCoordinatorConfig(), controller, config.nodeId(), producerIds::nextProducerId,
                    coordinatorMarkers, remoteCoordinator, TRANSACTION_COORDINATOR_THREADS, Clock.systemUTC());
            started.add(transactionCoordinator);
            // Before the image is loaded, so that the offsets and transaction state partitions led
            // here start loading their groups and transactions as soon as they are opened.
            replicaManager.addLeadershipListener(groupCoordinator);
            replicaManager.addLeadershipListener(transactionCoordinator);
            replicaManager.loadImage(image);
            controller.addPublisher(replicaManager);
            controller.addPublisher(groupCoordinator);

            HandlerRegistry registry = new HandlerRegistry();
            registerHandlers(registry, controller, replicaManager, fetchPurgatory, ioExecutor, transactionCoordinator,
                    quotas);
            registerGroupHandlers(registry, groupCoordinator, transactionCoordinator);
            registerTransactionHandlers(registry, transactionCoordinator, producerIds, controller, ioExecutor);
            registerTransactionDataHandlers(registry, markerWriter, replicaManager, ioExecutor);
            socketServer = new SocketServer(socketServerConfig(listenerTls.contexts(), sasl,
                    dynamicConfig.effective(image)), registry, new NetworkMetrics(metrics),
                    new IdleMeters(metrics, config.numNetworkThreads(), ioExecutor), authorizer(controller));
            socketServer.start();
            started.add(socketServer);
            controller.addPublisher((delta, newImage) -> {
                if (delta.changedConfigs().stream().anyMatch(dynamicConfig::concerns)) {
                    applyDynamicServerSettings(newImage, ioExecutor);
                }
            });
            // after subscribing, so that no change committed since the start is missed
            applyDynamicServerSettings(controller.image(), ioExecutor);

            if (config.clusterMode()) {
                // In the background: the quorum may not have a leader until more nodes start.
                BrokerRegistration registration = identity().toRegistration();
                BrokerLifecycle brokerLifecycle = new BrokerLifecycle(new BrokerRegistration(registration.id(),
                        registration.endpoints(), registration.rack(), UUID.randomUUID(), false), meta.clusterId(),
                        config::securityProtocol, controller, controllerChannel.orElseThrow(),
                        config.brokerHeartbeatIntervalMs(), fatalError::complete);
                brokerLifecycle.start();
                started.add(brokerLifecycle);
                lifecycle = Optional.of(brokerLifecycle);
            } else {
                controller.registerBroker(identity().toRegistration()).join();
            }
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

    /**
     * The partitions of this node and their replication. In a cluster, followers fetch from their
     * leaders over the inter-broker listener and leaders send ISR changes to the active
     * controller. A single node is the only replica of every partition: it never follows a leader
     * and its ISR never changes, so it needs neither.
     */
    private ReplicaManager replicaManager(QuorumController controller, LogManager logManager,
                                          Purgatory<TopicPartition> fetchPurgatory,
                                          Purgatory<TopicPartition> producePurgatory, MetadataImage image) {
        ReplicationConfig replication = config.replicationConfig();
        IsrChangeChannel isrChanges = controllerChannel
                .<IsrChangeChannel>map(channel -> new ControllerIsrChangeChannel(channel, controller))
                .orElse(change -> CompletableFuture.failedFuture(new ApiException(Errors.NOT_CONTROLLER,
                        "A single node has no other replicas to add to or drop from an ISR")));
        IntFunction<LeaderEndpoint> endpoints = leader -> new NodeLeaderEndpoint(leader,
                () -> controller.image().broker(leader).flatMap(b -> b.endpoint(config.interBrokerListenerName())),
                nodeClients.orElseThrow(() -> new IllegalStateException(
                        "A single node follows no leader (asked for broker " + leader + ")")),
                replication.fetchWaitMaxMs());
        ReplicaFetcherManager fetchers = new ReplicaFetcherManager(config.nodeId(), replication, endpoints,
                Clock.systemUTC());
        PartitionEnvironment env = new PartitionEnvironment(config.nodeId(), fetchPurgatory, producePurgatory,
                isrChanges, replica -> controller.image().broker(replica).filter(broker -> !broker.fenced()).isPresent(),
                Clock.systemUTC(), new PartitionMeters(metrics));
        return new ReplicaManager(logManager, env, fetchers, replication, image,
                newImage -> dynamicConfig.effective(newImage).logDefaults());
    }

    /**
     * The cluster id a new data directory gets, and an existing one must hold: cluster.id when set;
     * in a cluster otherwise one derived from the voters, the same on every node; none (a random
     * one) for a single node.
     */
    private Optional<String> wantedClusterId() {
        if (config.configuredClusterId().isPresent() || !config.clusterMode()) {
            return config.configuredClusterId();
        }
        String voters = config.controllerQuorumVoters().stream().map(QuorumVoter::toString).sorted()
                .collect(Collectors.joining(","));
        UUID uuid = UUID.nameUUIDFromBytes(("gregor-cluster/" + voters).getBytes(StandardCharsets.UTF_8));
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array()));
    }

    /** The controller over the local metadata log (single node) or the Raft quorum of controller.quorum.voters. */
    private QuorumController startController(MetaProperties meta, Path metadataDir) {
        ConfigSchema schema = new ConfigSchema(LogConfig.DEFINITION, BrokerConfig.dynamicDefinitions(),
                BrokerConfig.dynamicListenerDefinitions());
        ControllerSettings settings = new ControllerSettings(config.numPartitions(),
                config.defaultReplicationFactor(), schema, config.uncleanLeaderElectionEnable(),
                config.delegationTokenSettings());
        MetadataLog metadataLog;
        if (config.clusterMode()) {
            RaftMetadataLog raftLog = new RaftMetadataLog(raftSettings(meta, metadataDir));
            raftLog.addInconsistencyListener(fatalError::complete);
            metadataLog = raftLog;
        } else {
            metadataLog = new LocalMetadataLog(metadataDir);
        }
        QuorumController controller = new QuorumController(meta.clusterId(), metadataLog, settings);
        started.add(controller);
        return controller;
    }

    /**
     * A controller votes in the quorum; a broker-only node follows the log as a Ratis listener on
     * its controller listener, without voting (docs/cluster.md).
     */
    private RaftQuorumSettings raftSettings(MetaProperties meta, Path metadataDir) {
        Listener listener = config.controllerListener().orElseThrow();
        RaftQuorumSettings settings = config.isController()
                ? new RaftQuorumSettings(config.nodeId(), meta.clusterId(), config.controllerQuorumVoters(),
                        metadataDir, RaftQuorumSettings.DEFAULT_SNAPSHOT_EVERY_ENTRIES)
                : RaftQuorumSettings.observer(config.nodeId(), meta.clusterId(), config.controllerQuorumVoters(),
                        metadataDir, advertisedHost(listener.host()), listener.port());
        return config.securityProtocol(listener.name()).usesTls() ? settings.withTls(quorumTls(listener.name()))
                : settings;
    }

    /**
     * Mutual TLS in the metadata quorum, with the controller listener's ssl.* settings: its key
     * store is this node's identity both as server and as client, its trust store checks the others'.
     */
    private QuorumTls quorumTls(String controllerListener) {
        TlsSettings tls = config.tlsSettings(controllerListener);
        UnaryOperator<String> keyName = key -> config.listenerKey(controllerListener, key);
        KeyManagerFactory keys = TlsContextFactory.keyManagers(tls, keyName).orElseThrow(() -> new ConfigException(
                keyName.apply(BrokerConfig.SSL_KEYSTORE_LOCATION), "", "the controller listener " + controllerListener
                + " is SSL and needs a key store for its certificate"));
        return new QuorumTls(keys.getKeyManagers()[0],
                QuorumTls.x509(TlsContextFactory.trustManagers(tls, keyName).getTrustManagers()), tls.verifyHostname());
    }

    private void registerHandlers(HandlerRegistry registry, QuorumController controller,
                                  ReplicaManager replicaManager, Purgatory<TopicPartition> fetchPurgatory,
                                  ExecutorService ioExecutor, TransactionVerifier transactions, ClientQuotas quotas) {
        BrokerConfigView brokerView = BrokerConfigViews.brokerView(config);
        TopicConfigCatalog topicCatalog = BrokerConfigViews.topicCatalog(dynamicConfig);
        // The metadata handlers take this node's id from here; every broker's endpoints come
        // from the metadata image, where this broker registers once its ports are bound.
        BrokerIdentity self = new BrokerIdentity(config.nodeId(), configuredEndpoints(), config.brokerRack());
        // transaction.version (KIP-890) as configured; group.version 1: the consumer group protocol (KIP-848).
        List<SupportedFeature> supported = new ArrayList<>(SupportedFeature.kraftBaseline());
        supported.add(SupportedFeature.transactions());
        supported.add(new SupportedFeature(SupportedFeature.GROUP_VERSION, (short) 0, SupportedFeature.GROUP_VERSION_1));
        Map<String, Short> finalized = Map.of(SupportedFeature.TRANSACTION_VERSION, config.transactionVersion(),
                SupportedFeature.GROUP_VERSION, SupportedFeature.GROUP_VERSION_1);
        registry.register(new ApiVersionsHandler(registry, supported,
                () -> FinalizedFeatures.kraftBaseline(controller.image().nextOffset(), (short) 0, finalized)));
        registry.register(new MetadataHandler(controller, self, config.autoCreateTopicsEnable()));
        registry.register(new DescribeClusterHandler(controller, self));
        registry.register(new DescribeTopicPartitionsHandler(controller));
        registry.register(new ProduceHandler(replicaManager, transactions, quotas.produce()));
        FetchSessionCache fetchSessions = new FetchSessionCache(config.maxIncrementalFetchSessionCacheSlots(),
                FetchSessionCache.EVICTION_MS, System::currentTimeMillis, metrics);
        registry.register(new FetchHandler(replicaManager, fetchPurgatory, ioExecutor, config.replicaSelector(),
                quotas.fetch(), fetchSessions));
        registry.register(new ListOffsetsHandler(replicaManager, ioExecutor));
        registry.register(new OffsetForLeaderEpochHandler(replicaManager));
        registry.register(new DeleteRecordsHandler(replicaManager, ioExecutor));
        registry.register(new DescribeLogDirsHandler(replicaManager, ioExecutor));
        registry.register(new SaslHandshakeHandler());
        registry.register(new SaslAuthenticateHandler());
        for (ApiHandler<?, ?> handler : controllerApis(controller, quotas).handlers()) {
            registry.register(FORWARDED_APIS.contains(handler.apiKey()) ? forwarded(handler, controller) : handler);
        }
        if (config.clusterMode()) {
            registry.register(envelopes(controller, quotas));
        }
        registry.register(new DescribeConfigsHandler(controller, config.nodeId(), topicCatalog, brokerView));
        registry.register(new DescribeUserScramCredentialsHandler(controller));
        registry.register(new DescribeAclsHandler(controller));
        registry.register(new DescribeClientQuotasHandler(controller));
        registry.register(new DescribeDelegationTokenHandler(controller, config.delegationTokenSettings().hmac()));
    }

    /**
     * The APIs the active controller decides, as it serves them: brokers send the cluster ones to
     * it, and the metadata changes reach it from any node (see {@link #FORWARDED_APIS}). A
     * controller node serves these on its controller listener too ({@link ControllerApiServer}).
     */
    private HandlerRegistry controllerApis(QuorumController controller, ClientQuotas quotas) {
        HandlerRegistry apis = new HandlerRegistry();
        // CreateTopics reaches the active controller through the controller's own forwarder.
        apis.register(new CreateTopicsHandler(controller, BrokerConfigViews.topicCatalog(dynamicConfig),
                BrokerConfigViews.brokerView(config), quotas.mutations(), config.numPartitions()));
        apis.register(new DeleteTopicsHandler(controller, config.deleteTopicEnable(), quotas.mutations()));
        apis.register(new CreatePartitionsHandler(controller, quotas.mutations()));
        BrokerConfigCheck brokerCheck = ownConfigsCheck(controller);
        apis.register(new AlterConfigsHandler(controller, brokerCheck));
        apis.register(new IncrementalAlterConfigsHandler(controller, brokerCheck));
        apis.register(new AlterUserScramCredentialsHandler(controller));
        apis.register(new CreateAclsHandler(controller));
        apis.register(new DeleteAclsHandler(controller));
        apis.register(new AlterClientQuotasHandler(controller));
        apis.register(new CreateDelegationTokenHandler(controller));
        apis.register(new RenewDelegationTokenHandler(controller));
        apis.register(new ExpireDelegationTokenHandler(controller));
        apis.register(new ElectLeadersHandler(controller));
        apis.register(new DescribeQuorumHandler(controller, config.nodeId(), config.controllerQuorumVoters(),
                config.controllerListenerName().orElse("")));
        apis.register(new AlterPartitionReassignmentsHandler(controller));
        apis.register(new ListPartitionReassignmentsHandler(controller));
        if (config.clusterMode()) {
            apis.register(new BrokerRegistrationHandler(controller));
            apis.register(new BrokerHeartbeatHandler(controller));
            apis.register(new AlterPartitionHandler(controller));
            apis.register(new UnregisterBrokerHandler(controller));
        }
        return apis;
    }

    private BrokerConfigCheck ownConfigsCheck(QuorumController controller) {
        return (resource, configs) -> checkDynamicConfigs(controller.image(), resource, configs);
    }

    /**
     * Whether this node could take the dynamic configs {@code configs} of {@code resource}: they
     * combine with server.properties and its listeners' key stores load and keep their identity.
     * Another broker's own configs are that broker's to check.
     */
    private Optional<ApiError> checkDynamicConfigs(MetadataImage image, ConfigResource resource,
                                                   Map<String, String> configs) {
        if (!dynamicConfig.concerns(resource)) {
            return Optional.empty();
        }
        boolean clusterDefault = resource.name().isEmpty();
        try {
            BrokerConfig proposed = config.withDynamic(clusterDefault ? configs : DynamicBrokerConfig.clusterDefault(image),
                    clusterDefault ? dynamicConfig.own(image) : configs);
            return threadCountChange(BrokerConfig.NUM_IO_THREADS, dynamicConfig.effective(image).numIoThreads(),
                    proposed.numIoThreads())
                    .or(() -> certificates.flatMap(tls -> tls.check(proposed, configs.keySet())))
                    .map(reason -> ApiError.of(Errors.INVALID_CONFIG, reason));
        } catch (ConfigException e) {
            return Optional.of(ApiError.of(Errors.INVALID_CONFIG, e.getMessage()));
        }
    }

    /** Kafka's rule for a thread pool resized at run time: at most double, at least half the threads in force. */
    private static Optional<String> threadCountChange(String key, int current, int proposed) {
        if (proposed > current * 2) {
            return Optional.of("Invalid value " + proposed + " for configuration " + key
                    + ": it cannot be greater than double the current value " + current);
        }
        if (proposed < current / 2) {
            return Optional.of("Invalid value " + proposed + " for configuration " + key
                    + ": it cannot be less than half the current value " + current);
        }
        return Optional.empty();
    }

    /** What serves the requests other nodes forward for their clients (see {@link #FORWARDED_APIS}). */
    private EnvelopeHandler envelopes(QuorumController controller, ClientQuotas quotas) {
        return new EnvelopeHandler(controllerApis(controller, quotas), controller::isActive);
    }

    /**
     * In a cluster, a metadata-changing API served on a node that is not the controller goes to the
     * one that is; a change of this broker's own configs is checked here first, where it applies.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private ApiHandler<?, ?> forwarded(ApiHandler<?, ?> handler, QuorumController controller) {
        if (controllerChannel.isEmpty()) {
            return handler;
        }
        ApiHandler forwarding = new ForwardingHandler<>((ApiHandler<ApiMessage, ApiMessage>) handler,
                controllerChannel.get());
        if (handler.apiKey() == ApiKey.INCREMENTAL_ALTER_CONFIGS.id()) {
            return new OwnConfigsCheckedIncrementalAlterConfigs(forwarding, controller::image,
                    ownConfigsCheck(controller));
        }
        if (handler.apiKey() == ApiKey.ALTER_CONFIGS.id()) {
            return new OwnConfigsCheckedAlterConfigs(forwarding, ownConfigsCheck(controller));
        }
        return forwarding;
    }

    /** The transaction coordinator's APIs (and InitProducerId, which idempotent producers use too). */
    private static void registerTransactionHandlers(HandlerRegistry registry, TransactionCoordinator coordinator,
                                                    ProducerIdManager producerIds, QuorumController controller,
                                                    ExecutorService ioExecutor) {
        registry.register(new InitProducerIdHandler(producerIds, coordinator, ioExecutor));
        registry.register(new AddPartitionsToTxnHandler(coordinator, controller));
        registry.register(new AddOffsetsToTxnHandler(coordinator));
        registry.register(new EndTxnHandler(coordinator));
        registry.register(new DescribeTransactionsHandler(coordinator));
        registry.register(new ListTransactionsHandler(coordinator, Clock.systemUTC()));
    }

    /** The data-partition side of transactions: markers and producer state. */
    private static void registerTransactionDataHandlers(HandlerRegistry registry, TransactionMarkerWriter markerWriter,
                                                        ReplicaManager replicaManager, ExecutorService ioExecutor) {
        registry.register(new WriteTxnMarkersHandler(markerWriter, ioExecutor));
        registry.register(new DescribeProducersHandler(replicaManager));
    }

    private static void registerGroupHandlers(HandlerRegistry registry, GroupCoordinator coordinator,
                                              TransactionCoordinator transactions) {
        registry.register(new FindCoordinatorHandler(coordinator, transactions));
        registry.register(new JoinGroupHandler(coordinator));
        registry.register(new SyncGroupHandler(coordinator));
        registry.register(new HeartbeatHandler(coordinator));
        registry.register(new LeaveGroupHandler(coordinator));
        registry.register(new OffsetCommitHandler(coordinator));
        registry.register(new OffsetFetchHandler(coordinator));
        // The transaction coordinator confirms the group's offsets partition is in the transaction.
        registry.register(new TxnOffsetCommitHandler(coordinator, transactions));
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

    private TransactionCoordinatorConfig transactionCoordinatorConfig() {
        return new TransactionCoordinatorConfig(config.transactionStateLogNumPartitions(),
                config.transactionStateLogReplicationFactor(), config.transactionStateLogMinIsr(), config.transactionMaxTimeoutMs(),
                config.transactionalIdExpirationMs(), config.transactionAbortTimedOutIntervalMs(),
                config.transactionRemoveExpiredIntervalMs(), config.offsetsTopicNumPartitions());
    }

    /** This broker as clients should reach it: advertised listeners, with bound ports for port 0. */
    private BrokerIdentity identity() {
        List<BrokerEndpoint> endpoints = new ArrayList<>();
        for (Listener listener : advertisedBrokerListeners()) {
            int port = listener.port() == 0 ? boundPort(listener.name()) : listener.port();
            endpoints.add(new BrokerEndpoint(listener.name(), advertisedHost(listener.host()), port));
        }
        return new BrokerIdentity(config.nodeId(), endpoints, config.brokerRack());
    }

    /** The advertised listeners clients and brokers use: all but the controller's (Raft) listener. */
    private List<Listener> advertisedBrokerListeners() {
        return config.advertisedListeners().stream()
                .filter(l -> !config.controllerListenerNames().contains(l.name()))
                .toList();
    }

    private List<BrokerEndpoint> configuredEndpoints() {
        return advertisedBrokerListeners().stream()
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

    /** @param effective the configuration in force, whose topic defaults may be dynamic */
    private LogManagerConfig logManagerConfig(BrokerConfig effective) {
        return new LogManagerConfig(config.logDirs(), Map.copyOf(effective.logDefaults()),
                config.logRetentionCheckIntervalMs(), config.logFlushSchedulerIntervalMs(),
                config.numRecoveryThreadsPerDataDir(),
                config.producerIdExpirationMs(), config.producerIdExpirationCheckIntervalMs())
                .withCleaner(config.logCleanerConfig());
    }

    /** The TLS context of each SSL and SASL_SSL listener, by name, from its own ssl.* settings. */
    private Map<String, SslContext> serverTls() {
        Map<String, SslContext> contexts = new HashMap<>();
        for (Listener listener : config.brokerListeners()) {
            if (config.securityProtocol(listener.name()).usesTls()) {
                contexts.put(listener.name(), TlsContextFactory.forServer(config.tlsSettings(listener.name()),
                        key -> config.listenerKey(listener.name(), key)));
            }
        }
        return contexts;
    }

    /**
     * How this broker connects to the others' inter-broker listener: with its SASL credentials
     * and TLS settings (trust store, key store for a client certificate, host name check) when
     * the listener's protocol says so.
     */
    private NodeClientConfig nodeClientConfig() {
        NodeClientConfig clientConfig = NodeClientConfig.defaults(NodeClientConfig.nodeClientId(config.nodeId()));
        String interBroker = config.interBrokerListenerName();
        if (config.securityProtocol(interBroker).usesTls()) {
            TlsSettings tls = config.tlsSettings(interBroker);
            clientConfig = clientConfig.withTls(new ClientTls(
                    TlsContextFactory.forClient(tls, key -> config.listenerKey(interBroker, key)),
                    tls.verifyHostname()));
        }
        return config.interBrokerSaslCredentials().map(clientConfig::withSasl).orElse(clientConfig);
    }

    /**
     * The authentication of each SASL listener, by name. SCRAM exchanges look credentials, and
     * delegation tokens, up in the metadata image current when the client authenticates.
     */
    private Map<String, ListenerAuthentication> saslListeners(QuorumController controller) {
        Map<String, ListenerAuthentication> sasl = new HashMap<>();
        MetadataScramCredentials credentials = new MetadataScramCredentials(controller::image,
                config.delegationTokenSettings().hmac());
        try {
            for (Listener listener : config.brokerListeners()) {
                if (config.securityProtocol(listener.name()).usesSasl()) {
                    sasl.put(listener.name(), ListenerAuthentication.forListener(listener.name(),
                            config.saslSettings(listener.name()), credentials));
                }
            }
        } catch (RuntimeException e) {
            // the listeners set up before one that failed may be reading an identity provider's keys
            sasl.values().forEach(ListenerAuthentication::close);
            throw e;
        }
        return sasl;
    }

    /** Kafka's StandardAuthorizer rules over the ACLs of the current metadata image, or no checks at all. */
    private Authorizer authorizer(QuorumController controller) {
        if (!config.aclsEnforced()) {
            return Authorizer.ALLOW_ALL;
        }
        return new AclAuthorizer(() -> controller.image().acls(), config.superUsers(),
                config.allowEveryoneIfNoAclFound());
    }

    /**
     * The connection limits (max.connections, max.connections.per.ip and its overrides) and the
     * number of I/O threads as the dynamic broker configs of the image set them. An override naming
     * a host that does not resolve leaves the limits per address as they were.
     */
    private void applyDynamicServerSettings(MetadataImage image, TimedThreadPool ioThreads) {
        BrokerConfig effective = dynamicConfig.effective(image);
        if (ioThreads.getMaximumPoolSize() != effective.numIoThreads()) {
            LOG.info("num.io.threads is now {} (was {})", effective.numIoThreads(), ioThreads.getMaximumPoolSize());
            ioThreads.resize(effective.numIoThreads());
        }
        socketServer.setMaxConnections(effective.maxConnections());
        try {
            socketServer.setConnectionsPerIp(effective.maxConnectionsPerIp(), effective.maxConnectionsPerIpOverrides());
        } catch (IllegalStateException e) {
            LOG.error("Keeping the connection limits per address: {}", e.getMessage());
        }
    }

    /** @param effective the configuration in force, for the settings dynamic broker configs may change */
    private SocketServerConfig socketServerConfig(Map<String, SslContext> tls, Map<String, ListenerAuthentication> sasl,
                                                  BrokerConfig effective) {
        List<SocketServerConfig.Listener> listeners = config.brokerListeners().stream()
                .map(l -> new SocketServerConfig.Listener(l.name(), l.host(), l.port(),
                        Optional.ofNullable(tls.get(l.name())),
                        Optional.ofNullable(sasl.get(l.name())), config.maxConnections(l.name())))
                .toList();
        return new SocketServerConfig(listeners, config.numNetworkThreads(), config.socketRequestMaxBytes(),
                config.queuedMaxRequestBytes(), config.connectionsMaxIdleMs(),
                effective.maxConnectionsPerIp(), effective.maxConnectionsPerIpOverrides(),
                SocketServerConfig.DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                config.socketSendBufferBytes().orElse(SocketServerConfig.OS_DEFAULT),
                config.socketReceiveBufferBytes().orElse(SocketServerConfig.OS_DEFAULT),
                effective.maxConnections(), listeners.size() > 1 ? Set.of(config.interBrokerListenerName()) : Set.of());
    }

    /**
     * Completes with the reason when this node finds, after it started, that it must stop: another
     * voter of its quorum lists other voters or belongs to another cluster, or another process
     * registered with its node id. Whoever runs the node stops it (the server process exits).
     */
    public CompletableFuture<RuntimeException> fatalError() {
        return fatalError;
    }

    /** The port a listener is bound to; useful when it was configured as port 0. */
    public synchronized int boundPort(String listenerName) {
        if (socketServer == null && !controllerOnly) {
            throw new IllegalStateException("The broker is not started");
        }
        if (config.controllerListenerNames().contains(listenerName)) {
            // The controller listener is the Raft server's, on its configured port.
            return config.listeners().stream().filter(l -> l.name().equals(listenerName)).findFirst()
                    .map(Listener::port).orElseThrow(() -> new IllegalArgumentException("No listener " + listenerName));
        }
        return socketServer.boundPort(listenerName);
    }

    /**
     * Stops accepting requests, then closes what was started in reverse order: the log manager
     * last, flushing every log and marking its directories clean.
     */
    public synchronized void shutdown() {
        lifecycle.ifPresent(l -> {
            if (!l.controlledShutdown(CONTROLLED_SHUTDOWN_TIMEOUT_MS)) {
                LOG.warn("The controller did not confirm the controlled shutdown of node {}; stopping anyway",
                        config.nodeId());
            }
        });
        lifecycle = Optional.empty();
        controllerChannel = Optional.empty();
        brokerChannels = Optional.empty();
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("Error while shutting down: {}", e.toString());
            }
        }
        started.clear();
        socketServer = null;
        controllerOnly = false;
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
