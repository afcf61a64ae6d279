package io.gregor.broker.api.admin;

import static io.gregor.broker.api.admin.MetadataFixture.context;
import static io.gregor.broker.api.admin.MetadataFixture.overTheWire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.gregor.metadata.image.ScramMechanism;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AlterUserScramCredentialsRequest;
import io.gregor.protocol.message.AlterUserScramCredentialsRequest.ScramCredentialDeletion;
import io.gregor.protocol.message.AlterUserScramCredentialsRequest.ScramCredentialUpsertion;
import io.gregor.protocol.message.AlterUserScramCredentialsResponse;
import io.gregor.protocol.message.AlterUserScramCredentialsResponse.AlterUserScramCredentialsResult;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeUserScramCredentialsRequest;
import io.gregor.protocol.message.DescribeUserScramCredentialsRequest.UserName;
import io.gregor.protocol.message.DescribeUserScramCredentialsResponse;
import io.gregor.protocol.message.DescribeUserScramCredentialsResponse.CredentialInfo;
import io.gregor.protocol.message.DescribeUserScramCredentialsResponse.DescribeUserScramCredentialsResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScramCredentialsHandlersTest {
    private static final byte SHA_256 = ScramMechanism.SCRAM_SHA_256.type();
    private static final byte SHA_512 = ScramMechanism.SCRAM_SHA_512.type();

    @TempDir
    Path dataDir;
    private MetadataFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MetadataFixture(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void upsertedCredentialsAreDescribedByMechanismAndIterationsOnly() {
        List<AlterUserScramCredentialsResult> altered = alter(List.of(),
                List.of(upsertion("alice", SHA_256, 4096), upsertion("alice", SHA_512, 8192),
                        upsertion("bob", SHA_256, 4096)));

        assertThat(altered).extracting(AlterUserScramCredentialsResult::user, AlterUserScramCredentialsResult::errorCode,
                AlterUserScramCredentialsResult::errorMessage)
                .containsExactly(tuple("alice", (short) 0, null), tuple("bob", (short) 0, null));
        DescribeUserScramCredentialsResponse all = describe(null);
        assertThat(all.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(all.results()).extracting(DescribeUserScramCredentialsResult::user).containsExactly("alice", "bob");
        assertThat(all.results().get(0).credentialInfos())
                .extracting(CredentialInfo::mechanism, CredentialInfo::iterations)
                .containsExactly(tuple(SHA_256, 4096), tuple(SHA_512, 8192));
        assertThat(describe(new ArrayList<>()).results()).hasSize(2);
    }

    @Test
    void namedUsersWithoutCredentialsOrAskedTwiceFailAlone() {
        alter(List.of(), List.of(upsertion("alice", SHA_256, 4096)));

        DescribeUserScramCredentialsResponse response = describe(new ArrayList<>(List.of(
                new UserName().setName("alice"), new UserName().setName("nobody"),
                new UserName().setName("twice"), new UserName().setName("twice"))));

        assertThat(response.results()).extracting(DescribeUserScramCredentialsResult::user,
                DescribeUserScramCredentialsResult::errorCode).containsExactly(
                tuple("alice", Errors.NONE.code()),
                tuple("nobody", Errors.RESOURCE_NOT_FOUND.code()),
                tuple("twice", Errors.DUPLICATE_RESOURCE.code()));
        assertThat(response.results().get(1).errorMessage()).contains("nobody");
    }

    @Test
    void deletionsComeBeforeUpsertionsAndErrorsCarryTheirMessage() {
        alter(List.of(), List.of(upsertion("alice", SHA_256, 4096)));

        List<AlterUserScramCredentialsResult> altered = alter(
                List.of(new ScramCredentialDeletion().setName("alice").setMechanism(SHA_256),
                        new ScramCredentialDeletion().setName("bob").setMechanism(SHA_512)),
                List.of(upsertion("carol", SHA_512, 20_000)));

        assertThat(altered).extracting(AlterUserScramCredentialsResult::user, AlterUserScramCredentialsResult::errorCode)
                .containsExactly(tuple("alice", Errors.NONE.code()), tuple("bob", Errors.RESOURCE_NOT_FOUND.code()),
                        tuple("carol", Errors.UNACCEPTABLE_CREDENTIAL.code()));
        assertThat(altered.get(2).errorMessage()).contains("Too many iterations");
        assertThat(describe(null).results()).isEmpty();
    }

    private List<AlterUserScramCredentialsResult> alter(List<ScramCredentialDeletion> deletions,
                                                        List<ScramCredentialUpsertion> upsertions) {
        AlterUserScramCredentialsRequest request = new AlterUserScramCredentialsRequest()
                .setDeletions(new ArrayList<>(deletions))
                .setUpsertions(new ArrayList<>(upsertions));
        AlterUserScramCredentialsResponse response = new AlterUserScramCredentialsHandler(fixture.controller())
                .handle(context(ApiKey.ALTER_USER_SCRAM_CREDENTIALS, 0), overTheWire(request, 0)).join();
        return overTheWire(response, 0).results();
    }

    private DescribeUserScramCredentialsResponse describe(List<UserName> users) {
        DescribeUserScramCredentialsRequest request = new DescribeUserScramCredentialsRequest().setUsers(users);
        DescribeUserScramCredentialsResponse response = new DescribeUserScramCredentialsHandler(fixture.controller())
                .handle(context(ApiKey.DESCRIBE_USER_SCRAM_CREDENTIALS, 0), overTheWire(request, 0)).join();
        return overTheWire(response, 0);
    }

    private static ScramCredentialUpsertion upsertion(String user, byte mechanism, int iterations) {
        byte[] salted = new byte[32];
        Arrays.fill(salted, (byte) 7);
        return new ScramCredentialUpsertion().setName(user).setMechanism(mechanism).setIterations(iterations)
                .setSalt(new byte[] {1, 2, 3}).setSaltedPassword(salted);
    }
}
