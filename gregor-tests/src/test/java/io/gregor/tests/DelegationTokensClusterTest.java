package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorCluster;
import io.gregor.testkit.PortFinder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.message.CreateDelegationTokenRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateDelegationTokenRequest;
import org.apache.kafka.common.requests.CreateDelegationTokenResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramSaslClientProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delegation tokens in a three-node cluster, each node with a SASL_PLAINTEXT listener and the
 * same secret key: a token asked of a node that is not the active controller is forwarded there,
 * committed to the metadata log, and authenticates on every node, each of which derives its SCRAM
 * credential itself; a token-authenticated client stays refused across the forwarding. Raw
 * connections pin the token requests to one node, which the Admin client does not let one choose.
 */
class DelegationTokensClusterTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String PLAIN_USERS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "user_alice=\"alice-secret\";";

    @TempDir
    static Path tempDir;
    private static GregorCluster cluster;
    private static List<Integer> saslPorts;

    @BeforeAll
    static void start() {
        saslPorts = PortFinder.freeLoopbackPorts(3);
        cluster = GregorCluster.start(tempDir, 3, Map.of(
                        "broker.heartbeat.interval.ms", "500",
                        "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
                        "listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_USERS,
                        "delegation.token.secret.key", "the-cluster-token-secret"),
                (id, settings) -> Map.of("listeners",
                        settings.get("listeners") + ",SASL_PLAINTEXT://127.0.0.1:" + saslPorts.get(id - 1)));
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            await("three brokers registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get().size() == 3);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTokenAskedOfANodeThatIsNotTheControllerAuthenticatesOnEveryNode() throws Exception {
        int node = notController();
        String tokenId;
        String password;
        try (RawConnection alice = authenticated(node, "PLAIN", "alice", "alice-secret", Map.of())) {
            CreateDelegationTokenResponse created = (CreateDelegationTokenResponse) alice.send(
                    new CreateDelegationTokenRequest.Builder(new CreateDelegationTokenRequestData()
                            .setMaxLifetimeMs(-1)).build((short) 3));
            assertThat(created.error()).isEqualTo(Errors.NONE);
            assertThat(created.data().principalName()).isEqualTo("alice");
            tokenId = created.data().tokenId();
            password = Base64.getEncoder().encodeToString(created.data().hmac());
        }

        for (int id : cluster.nodeIds()) {
            await("the token authenticating on node " + id).atMost(CLUSTER_TIMEOUT)
                    .until(() -> authenticates(tokenId, password, id));
        }
        try (RawConnection withToken = authenticated(node, "SCRAM-SHA-256", tokenId, password,
                Map.of("tokenauth", "true"))) {
            CreateDelegationTokenResponse refused = (CreateDelegationTokenResponse) withToken.send(
                    new CreateDelegationTokenRequest.Builder(new CreateDelegationTokenRequestData()
                            .setMaxLifetimeMs(-1)).build((short) 3));
            assertThat(refused.error()).isEqualTo(Errors.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED);
        }
    }

    /**
     * A raw connection to one node, authenticated with Kafka's own SASL client of the mechanism
     * (its SCRAM client sends the extensions given): the requests sent on it go to that node only.
     */
    private static RawConnection authenticated(int node, String mechanism, String user, String password,
                                               Map<String, String> extensions) throws Exception {
        ScramSaslClientProvider.initialize();
        SaslClient client = Sasl.createSaslClient(new String[] {mechanism}, null, "kafka", "127.0.0.1", Map.of(),
                callbacks -> {
                    for (Callback callback : callbacks) {
                        if (callback instanceof NameCallback name) {
                            name.setName(user);
                        } else if (callback instanceof PasswordCallback secret) {
                            secret.setPassword(password.toCharArray());
                        } else if (callback instanceof ScramExtensionsCallback scram) {
                            scram.extensions(extensions);
                        }
                    }
                });
        RawConnection connection = new RawConnection(sasl(node));
        SaslHandshakeResponse handshake = (SaslHandshakeResponse) connection.send(new SaslHandshakeRequest.Builder(
                new SaslHandshakeRequestData().setMechanism(mechanism)).build((short) 1));
        assertThat(handshake.data().errorCode()).isZero();
        byte[] message = client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : new byte[0];
        while (message != null) {
            SaslAuthenticateResponse answer = (SaslAuthenticateResponse) connection.send(
                    new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData().setAuthBytes(message))
                            .build((short) 2));
            assertThat(answer.data().errorCode()).as(answer.data().errorMessage()).isZero();
            message = client.isComplete() ? null : client.evaluateChallenge(answer.data().authBytes());
        }
        return connection;
    }

    /** Whether an Admin client logging in with the token on that node gets past authentication. */
    private static boolean authenticates(String tokenId, String password, int node) throws Exception {
        try (Admin admin = Clients.admin(sasl(node), Clients.saslPlaintext("SCRAM-SHA-256", tokenId, password,
                "tokenauth=\"true\""))) {
            admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private static String sasl(int node) {
        return "127.0.0.1:" + saslPorts.get(node - 1);
    }

    private static int notController() {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            await("an active controller").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().controller().get() != null);
            int controller = admin.describeCluster().controller().get().id();
            return cluster.nodeIds().stream().filter(id -> id != controller).findFirst().orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
