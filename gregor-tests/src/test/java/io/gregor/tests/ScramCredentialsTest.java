package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.errors.DuplicateResourceException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users' SCRAM credentials (KIP-554) set, described and deleted with the real AdminClient, kept in
 * the metadata log. Each test uses its own users, so the tests do not depend on each other's order.
 */
class ScramCredentialsTest {
    @TempDir
    static Path dataDir;
    static GregorBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of());
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void credentialsOfTwoUsersAndTwoMechanismsAreDescribedAndADeletionIsReflected() throws Exception {
        admin.alterUserScramCredentials(List.of(
                upsertion("alice", ScramMechanism.SCRAM_SHA_256, 4096),
                upsertion("alice", ScramMechanism.SCRAM_SHA_512, 8192),
                upsertion("bob", ScramMechanism.SCRAM_SHA_512, 16384))).all().get();

        Map<String, UserScramCredentialsDescription> described =
                admin.describeUserScramCredentials(List.of("alice", "bob")).all().get();
        assertThat(described.get("alice").credentialInfos()).containsExactlyInAnyOrder(
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192));
        assertThat(described.get("bob").credentialInfos()).containsExactly(
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 16384));
        assertThat(admin.describeUserScramCredentials().users().get()).contains("alice", "bob");

        admin.alterUserScramCredentials(List.of(
                new UserScramCredentialDeletion("alice", ScramMechanism.SCRAM_SHA_256))).all().get();

        assertThat(admin.describeUserScramCredentials(List.of("alice")).description("alice").get()
                .credentialInfos()).containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192));
    }

    @Test
    void invalidAlterationsFailWithKafkasExceptionsAndChangeNothingForThatUser() throws Exception {
        var result = admin.alterUserScramCredentials(List.of(
                upsertion("few", ScramMechanism.SCRAM_SHA_256, 1000),
                upsertion("many", ScramMechanism.SCRAM_SHA_256, 20000),
                new UserScramCredentialDeletion("ghost", ScramMechanism.SCRAM_SHA_512),
                new UserScramCredentialDeletion("both", ScramMechanism.SCRAM_SHA_256),
                upsertion("both", ScramMechanism.SCRAM_SHA_256, 4096),
                upsertion("fine", ScramMechanism.SCRAM_SHA_256, 4096)));

        assertFailure(result.values().get("few"), UnacceptableCredentialException.class, "Too few iterations");
        assertFailure(result.values().get("many"), UnacceptableCredentialException.class, "Too many iterations");
        assertFailure(result.values().get("ghost"), ResourceNotFoundException.class, "does not exist");
        assertFailure(result.values().get("both"), DuplicateResourceException.class, "more than once");
        result.values().get("fine").get();
        var described = admin.describeUserScramCredentials(List.of("few", "both", "fine"));
        assertFailure(described.description("few"), ResourceNotFoundException.class, "few");
        assertFailure(described.description("both"), ResourceNotFoundException.class, "both");
        assertThat(described.description("fine").get().credentialInfos()).hasSize(1);
    }

    @Test
    void describingAUserTwiceInOneRequestIsADuplicate() {
        var described = admin.describeUserScramCredentials(List.of("twice", "twice"));

        assertFailure(described.description("twice"), DuplicateResourceException.class, "more than once");
    }

    @Test
    void anEmptyUserNameIsUnacceptable() {
        // The AdminClient refuses it before sending; the controller refuses it too (ScramControlTest).
        var result = admin.alterUserScramCredentials(List.of(upsertion("", ScramMechanism.SCRAM_SHA_256, 4096)));

        assertFailure(result.all(), UnacceptableCredentialException.class, "");
    }

    @Test
    void anUnknownMechanismOnTheWireIsAnUnsupportedSaslMechanism() throws Exception {
        // The AdminClient cannot send one (it refuses ScramMechanism.UNKNOWN itself), so send it raw.
        AlterUserScramCredentialsRequestData data = new AlterUserScramCredentialsRequestData();
        data.deletions().add(new AlterUserScramCredentialsRequestData.ScramCredentialDeletion()
                .setName("odd").setMechanism((byte) 3));
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            AlterUserScramCredentialsResponse response = (AlterUserScramCredentialsResponse) connection.send(
                    new AlterUserScramCredentialsRequest.Builder(data).build((short) 0));

            assertThat(response.data().results()).singleElement().satisfies(user -> {
                assertThat(user.user()).isEqualTo("odd");
                assertThat(user.errorCode()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
                assertThat(user.errorMessage()).contains("Unknown SCRAM mechanism");
            });
        }
    }

    @Test
    void credentialsSurviveARestartOfTheBroker() throws Exception {
        admin.alterUserScramCredentials(List.of(upsertion("durable", ScramMechanism.SCRAM_SHA_512, 12345)))
                .all().get();

        broker.restart();

        try (Admin afterRestart = Clients.admin(broker.bootstrapServers())) {
            assertThat(afterRestart.describeUserScramCredentials(List.of("durable")).description("durable").get()
                    .credentialInfos()).containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 12345));
        }
    }

    static UserScramCredentialAlteration upsertion(String user, ScramMechanism mechanism, int iterations) {
        return new UserScramCredentialUpsertion(user, new ScramCredentialInfo(mechanism, iterations),
                "password-of-" + user);
    }

    private static void assertFailure(org.apache.kafka.common.KafkaFuture<?> future, Class<? extends Throwable> type,
                                      String message) {
        assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(type).hasMessageContaining(message);
    }
}
