package io.gregor.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.ConnectionThrottle;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.security.Authorizer;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DeleteTopicsRequest;
import io.gregor.protocol.message.DeleteTopicsResponse;
import io.gregor.protocol.message.EnvelopeRequest;
import io.gregor.protocol.message.EnvelopeResponse;
import io.gregor.protocol.message.ProduceRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The active controller's side of forwarding: who may send envelopes, and what the inner handler sees. */
class EnvelopeHandlerTest {
    private static final InetAddress CLIENT = address(10, 1, 2, 3);
    private static final InetAddress FORWARDING_NODE = address(10, 9, 9, 9);

    /** Only the forwarding node's principal may act for others; alice may delete topic "t". */
    private static final Authorizer ACLS = (principal, host, operation, type, name) ->
            principal.equals("User:node") && operation == AclOperation.CLUSTER_ACTION
                    && type == AclResourceType.CLUSTER
            || principal.equals("User:alice") && operation == AclOperation.DELETE && name.equals("t");

    private final AtomicReference<RequestContext> innerContext = new AtomicReference<>();
    private final AtomicReference<DeleteTopicsRequest> innerRequest = new AtomicReference<>();
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final EnvelopeHandler handler = new EnvelopeHandler(new HandlerRegistry().register(new RecordingDeletes()),
            active::get);

    @Test
    void theInnerRequestIsServedForTheClientNamedInTheEnvelope() {
        EnvelopeResponse response = handler.handle(sender("User:node"), envelope("User:alice", 5)).join();

        assertThat(response.errorCode()).isZero();
        assertThat(innerRequest.get().topicNames()).containsExactly("t");
        RequestContext inner = innerContext.get();
        assertThat(inner.principal()).isEqualTo("User:alice");
        assertThat(inner.tokenAuthenticated()).isFalse();
        assertThat(inner.clientAddress()).isEqualTo(CLIENT);
        assertThat(inner.clientId()).isEqualTo("alice-admin");
        assertThat(inner.correlationId()).isEqualTo(42);
        assertThat(inner.apiKey()).isEqualTo(ApiKey.DELETE_TOPICS.id());
        assertThat(inner.apiVersion()).isEqualTo((short) 5);
        // the node's authorizer decides, for the client
        assertThat(inner.authorized(AclOperation.DELETE, AclResourceType.TOPIC, "t")).isTrue();
        assertThat(inner.authorizedOnCluster(AclOperation.CLUSTER_ACTION)).isFalse();

        DeleteTopicsResponse inside = (DeleteTopicsResponse) Envelopes.unwrapResponse(response,
                ApiKey.DELETE_TOPICS.id(), (short) 5);
        assertThat(inside.responses()).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("t"));
    }

    @Test
    void aClientThatAuthenticatedWithADelegationTokenStaysMarkedSoAcrossTheForwarding() {
        RequestContext client = new RequestContext(ApiKey.DELETE_TOPICS.id(), (short) 5, 42, "alice-worker",
                "client-connection", CLIENT, "SASL_PLAINTEXT", "User:alice", true, Authorizer.ALLOW_ALL, 0,
                ConnectionThrottle.NONE);
        EnvelopeRequest envelope = Envelopes.wrap(client,
                new DeleteTopicsRequest().setTopicNames(new ArrayList<>(List.of("t"))));

        assertThat(handler.handle(sender("User:node"), envelope).join().errorCode()).isZero();
        assertThat(innerContext.get().principal()).isEqualTo("User:alice");
        assertThat(innerContext.get().tokenAuthenticated()).isTrue();
        assertThat(innerContext.get().mayManageDelegationTokens()).isFalse();
    }

    @Test
    void aSenderWithoutClusterActionCannotActForAnotherPrincipal() {
        EnvelopeResponse response = handler.handle(sender("User:alice"), envelope("User:admin", 5)).join();

        assertThat(response.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(response.responseData()).isNull();
        assertThat(innerRequest.get()).isNull();
    }

    @Test
    void aNodeThatIsNotTheActiveControllerAnswersNotController() {
        active.set(false);

        EnvelopeResponse response = handler.handle(sender("User:node"), envelope("User:alice", 5)).join();

        assertThat(response.errorCode()).isEqualTo(Errors.NOT_CONTROLLER.code());
        assertThat(innerRequest.get()).isNull();
    }

    @Test
    void anApiThatIsNotForwardedOrAnEnvelopeInsideIsAnInvalidRequest() {
        RequestContext produce = client(ApiKey.PRODUCE.id(), (short) 9);
        EnvelopeRequest wrappedProduce = Envelopes.wrap(produce, new ProduceRequest().setAcks((short) 1));
        RequestContext envelope = client(ApiKey.ENVELOPE.id(), (short) 0);
        EnvelopeRequest nested = Envelopes.wrap(envelope, envelope("User:admin", 5));

        assertThat(handler.handle(sender("User:node"), wrappedProduce).join().errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(handler.handle(sender("User:node"), nested).join().errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void aPrincipalThatIsNotTypeColonNameIsRefused() {
        EnvelopeRequest envelope = envelope("User:alice", 5).setRequestPrincipal("alice".getBytes());

        assertThat(handler.handle(sender("User:node"), envelope).join().errorCode())
                .isEqualTo(Errors.PRINCIPAL_DESERIALIZATION_FAILURE.code());
    }

    @Test
    void envelopesOverTheQuorumTransportComeFromAnonymousWhoNeedsClusterAction() {
        HandlerRegistry served = new HandlerRegistry().register(handler);
        Authorizer anonymousIsANode = (principal, host, operation, type, name) ->
                principal.equals(RequestContext.ANONYMOUS) && operation == AclOperation.CLUSTER_ACTION;
        ControllerApiServer trusting = new ControllerApiServer(served, "CONTROLLER", anonymousIsANode);
        ControllerApiServer distrusting = new ControllerApiServer(served, "CONTROLLER", ACLS);

        EnvelopeResponse answered = overTheQuorum(trusting, envelope("User:alice", 5));
        EnvelopeResponse refused = overTheQuorum(distrusting, envelope("User:alice", 5));

        assertThat(answered.errorCode()).isZero();
        assertThat(innerContext.get().principal()).isEqualTo("User:alice");
        assertThat(innerContext.get().listenerName()).isEqualTo("CONTROLLER");
        assertThat(refused.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
    }

    private static EnvelopeResponse overTheQuorum(ControllerApiServer server, EnvelopeRequest envelope) {
        return (EnvelopeResponse) ControllerRequestCodec.decodeResponse(ApiKey.ENVELOPE, Envelopes.VERSION,
                server.handle(ControllerRequestCodec.encodeRequest(envelope, Envelopes.VERSION)).join());
    }

    private static EnvelopeRequest envelope(String principal, int version) {
        RequestContext client = new RequestContext(ApiKey.DELETE_TOPICS.id(), (short) version, 42, "alice-admin",
                "client-connection", CLIENT, "SASL_PLAINTEXT", principal, Authorizer.ALLOW_ALL);
        return Envelopes.wrap(client, new DeleteTopicsRequest().setTopicNames(new ArrayList<>(List.of("t"))));
    }

    private static RequestContext client(short apiKey, short version) {
        return new RequestContext(apiKey, version, 1, "c", "client-connection", CLIENT, "SASL_PLAINTEXT",
                "User:alice", Authorizer.ALLOW_ALL);
    }

    private static RequestContext sender(String principal) {
        return new RequestContext(ApiKey.ENVELOPE.id(), (short) 0, 3, "gregor-node-2", "node-connection",
                FORWARDING_NODE, "INTERNAL", principal, ACLS);
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private final class RecordingDeletes implements ApiHandler<DeleteTopicsRequest, DeleteTopicsResponse> {
        @Override
        public short apiKey() {
            return ApiKey.DELETE_TOPICS.id();
        }

        @Override
        public short minVersion() {
            return 1;
        }

        @Override
        public short maxVersion() {
            return 6;
        }

        @Override
        public CompletableFuture<DeleteTopicsResponse> handle(RequestContext context, DeleteTopicsRequest request) {
            innerContext.set(context);
            innerRequest.set(request);
            return CompletableFuture.completedFuture(new DeleteTopicsResponse().setResponses(new ArrayList<>(List.of(
                    new DeleteTopicsResponse.DeletableTopicResult().setName("t")))));
        }
    }
}
