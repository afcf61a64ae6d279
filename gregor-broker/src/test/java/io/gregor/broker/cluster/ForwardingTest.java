package io.gregor.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.DeleteTopicsHandler;
import io.gregor.broker.client.NodeClientConfig;
import io.gregor.broker.client.NodeClients;
import io.gregor.broker.network.SocketServer;
import io.gregor.broker.network.SocketServerConfig;
import io.gregor.broker.quota.MutationQuotas;
import io.gregor.broker.security.Authorizer;
import io.gregor.metadata.control.ConfigSchema;
import io.gregor.metadata.control.ControllerSettings;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.metadata.control.CreateTopicResult;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.quorum.CommittedBatchListener;
import io.gregor.metadata.quorum.MetadataBatch;
import io.gregor.metadata.quorum.MetadataLog;
import io.gregor.metadata.quorum.NotControllerException;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.RegisterBrokerRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.CreateTopicsRequest;
import io.gregor.protocol.message.CreateTopicsResponse;
import io.gregor.protocol.message.DeleteTopicsRequest;
import io.gregor.protocol.message.DeleteTopicsResponse;
import io.gregor.protocol.wire.ApiMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node that is not the active controller passes metadata changes to the one that is (a real
 * SocketServer standing in for node 1), in an envelope that names the client, and answers
 * NOT_CONTROLLER itself when node 1 is gone or refuses the envelope.
 */
class ForwardingTest {
    private final AtomicReference<DeleteTopicsRequest> deletesSeen = new AtomicReference<>();
    private final AtomicReference<RequestContext> deleteContextSeen = new AtomicReference<>();
    private volatile boolean standInIsController = true;
    private final AtomicReference<CreateTopicsRequest> createsSeen = new AtomicReference<>();
    private SocketServer activeController;
    private NodeClients clients;
    private QuorumController follower;
    private ControllerChannel channel;

    @BeforeEach
    void start() {
        HandlerRegistry forwardable = new HandlerRegistry();
        forwardable.register(handler(ApiKey.DELETE_TOPICS, 1, 6, (RequestContext context, DeleteTopicsRequest request) -> {
            deletesSeen.set(request);
            deleteContextSeen.set(context);
            return new DeleteTopicsResponse().setResponses(new ArrayList<>(List.of(
                    new DeleteTopicsResponse.DeletableTopicResult().setName("t").setErrorCode((short) 0))));
        }));
        HandlerRegistry registry = new HandlerRegistry();
        registry.register(new EnvelopeHandler(forwardable, () -> standInIsController));
        registry.register(handler(ApiKey.CREATE_TOPICS, 2, 7, (RequestContext context, CreateTopicsRequest request) -> {
            createsSeen.set(request);
            return new CreateTopicsResponse().setTopics(new ArrayList<>(List.of(new CreateTopicsResponse.CreatableTopicResult()
                    .setName("new").setTopicId(new UUID(4, 4)).setNumPartitions(3).setReplicationFactor((short) 2))));
        }));
        activeController = new SocketServer(new SocketServerConfig(
                List.of(new SocketServerConfig.Listener("PLAINTEXT", "127.0.0.1", 0)), 1, 1 << 20,
                SocketServerConfig.UNBOUNDED_REQUEST_MEMORY,
                SocketServerConfig.DEFAULT_CONNECTIONS_MAX_IDLE_MS, SocketServerConfig.UNLIMITED_CONNECTIONS, Map.of(),
                100, SocketServerConfig.OS_DEFAULT,
                SocketServerConfig.OS_DEFAULT, SocketServerConfig.UNLIMITED_CONNECTIONS, Set.of()), registry);
        activeController.start();
        int port = activeController.boundPort("PLAINTEXT");

        follower = new QuorumController("cluster", new FollowerLog(List.of(
                new RegisterBrokerRecord(1, List.of(new BrokerEndpoint("PLAINTEXT", "127.0.0.1", port)), Optional.empty()),
                new TopicRecord("t", new UUID(1, 1)))),
                new ControllerSettings(1, (short) 1, new ConfigSchema(new ConfigDef(), new ConfigDef())));
        follower.start().join();
        clients = new NodeClients(new NodeClientConfig("forwarding-test", 1_000, 5_000, 50, 1 << 20), 1);
        channel = new ControllerChannel(follower, clients, "PLAINTEXT");
        follower.setTopicCreationForwarder(new CreateTopicsForwarder(channel));
    }

    @AfterEach
    void stop() throws IOException {
        channel.close();
        clients.close();
        follower.close();
        if (activeController != null) {
            activeController.close();
        }
    }

    @Test
    void aMetadataChangeGoesToTheActiveControllerInAnEnvelopeNamingTheClient() throws Exception {
        ForwardingHandler<DeleteTopicsRequest, DeleteTopicsResponse> handler =
                new ForwardingHandler<>(new DeleteTopicsHandler(follower, true, MutationQuotas.unlimited()), channel);

        DeleteTopicsResponse response = handler.handle(context(ApiKey.DELETE_TOPICS, 5),
                new DeleteTopicsRequest().setTopicNames(new ArrayList<>(List.of("t")))).get(10, TimeUnit.SECONDS);

        assertThat(deletesSeen.get().topicNames()).containsExactly("t");
        assertThat(deleteContextSeen.get().principal()).isEqualTo("User:alice");
        assertThat(deleteContextSeen.get().apiVersion()).isEqualTo((short) 5);
        assertThat(deleteContextSeen.get().clientId()).isEqualTo("client");
        assertThat(response.responses()).singleElement().satisfies(r -> assertThat(r.errorCode()).isZero());
    }

    @Test
    void anEnvelopeRefusedByANodeNoLongerControllerIsAnsweredNotController() throws Exception {
        standInIsController = false;
        ForwardingHandler<DeleteTopicsRequest, DeleteTopicsResponse> handler =
                new ForwardingHandler<>(new DeleteTopicsHandler(follower, true, MutationQuotas.unlimited()), channel);

        DeleteTopicsResponse response = handler.handle(context(ApiKey.DELETE_TOPICS, 5),
                new DeleteTopicsRequest().setTopicNames(new ArrayList<>(List.of("t")))).get(10, TimeUnit.SECONDS);

        assertThat(deletesSeen.get()).isNull();
        assertThat(response.responses()).singleElement()
                .satisfies(r -> assertThat(r.errorCode()).isEqualTo(Errors.NOT_CONTROLLER.code()));
    }

    @Test
    void withTheControllerUnreachableTheNodeAnswersNotController() throws Exception {
        activeController.close();
        activeController = null;
        ForwardingHandler<DeleteTopicsRequest, DeleteTopicsResponse> handler =
                new ForwardingHandler<>(new DeleteTopicsHandler(follower, true, MutationQuotas.unlimited()), channel);

        DeleteTopicsResponse response = handler.handle(context(ApiKey.DELETE_TOPICS, 5),
                new DeleteTopicsRequest().setTopicNames(new ArrayList<>(List.of("t")))).get(10, TimeUnit.SECONDS);

        assertThat(response.responses()).singleElement()
                .satisfies(r -> assertThat(r.errorCode()).isEqualTo(Errors.NOT_CONTROLLER.code()));
    }

    @Test
    void topicCreationOnANodeThatIsNotTheControllerIsSentToIt() throws Exception {
        List<CreateTopicResult> results = follower.createTopics(List.of(CreatableTopic.withDefaults("new")
                .withConfigs(Map.of("retention.ms", "1000"))), false).get(10, TimeUnit.SECONDS);

        CreateTopicsRequest.CreatableTopic sent = createsSeen.get().topics().get(0);
        assertThat(sent.name()).isEqualTo("new");
        assertThat(sent.numPartitions()).isEqualTo(-1);
        assertThat(sent.configs()).singleElement().satisfies(c -> assertThat(c.value()).isEqualTo("1000"));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.error().isSuccess()).isTrue();
            assertThat(r.topicId()).contains(new UUID(4, 4));
            assertThat(r.numPartitions()).isEqualTo(3);
        });
    }

    private static RequestContext context(ApiKey key, int version) {
        return new RequestContext(key.id(), (short) version, 1, "client", "connection",
                InetAddress.getLoopbackAddress(), "PLAINTEXT", "User:alice", Authorizer.ALLOW_ALL);
    }

    private static <Q extends ApiMessage, R extends ApiMessage> ApiHandler<Q, R> handler(
            ApiKey key, int min, int max, BiFunction<RequestContext, Q, R> answer) {
        return new ApiHandler<>() {
            @Override
            public short apiKey() {
                return key.id();
            }

            @Override
            public short minVersion() {
                return (short) min;
            }

            @Override
            public short maxVersion() {
                return (short) max;
            }

            @Override
            public CompletableFuture<R> handle(RequestContext context, Q request) {
                return CompletableFuture.completedFuture(answer.apply(context, request));
            }
        };
    }

    /** The metadata log of a node that follows node 1: it has the given records and cannot append. */
    private static final class FollowerLog implements MetadataLog {
        private final List<MetadataRecord> records;

        FollowerLog(List<MetadataRecord> records) {
            this.records = records;
        }

        @Override
        public void start(CommittedBatchListener listener) {
            listener.onCommit(new MetadataBatch(0, records));
        }

        @Override
        public CompletableFuture<Long> append(List<MetadataRecord> batch) {
            return CompletableFuture.failedFuture(new NotControllerException("not the controller", OptionalInt.of(1)));
        }

        @Override
        public boolean isLeader() {
            return false;
        }

        @Override
        public OptionalInt leaderId() {
            return OptionalInt.of(1);
        }

        @Override
        public void close() {
        }
    }
}
