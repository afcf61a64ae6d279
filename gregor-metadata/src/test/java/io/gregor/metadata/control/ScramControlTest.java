package io.gregor.metadata.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.image.ScramMechanism;
import io.gregor.metadata.quorum.LocalMetadataLog;
import io.gregor.metadata.record.RemoveUserScramCredentialRecord;
import io.gregor.metadata.record.UserScramCredentialRecord;
import io.gregor.protocol.error.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScramControlTest {
    private static final byte SHA_256 = ScramMechanism.SCRAM_SHA_256.type();
    private static final byte SHA_512 = ScramMechanism.SCRAM_SHA_512.type();
    private static final byte[] SALT = {1, 2, 3, 4};
    private static final byte[] SALTED_PASSWORD = ScramMechanism.SCRAM_SHA_256.saltedPassword(
            "secret".toCharArray(), SALT, 4096);

    private final ScramControl control = new ScramControl();

    @TempDir
    Path logDir;

    @Test
    void upsertionIsStoredAsTheKeysOfTheSaltedPassword() {
        ControllerResult<Map<String, ApiError>> result = control.alterUserScramCredentials(
                MetadataImage.empty("cluster"), List.of(), List.of(upsertion("alice", SHA_256, 4096)));

        assertThat(result.response()).containsExactly(Map.entry("alice", ApiError.NONE));
        assertThat(result.records()).containsExactly(new UserScramCredentialRecord("alice",
                ScramMechanism.SCRAM_SHA_256, ScramCredential.fromSaltedPassword(ScramMechanism.SCRAM_SHA_256, SALT,
                        SALTED_PASSWORD, 4096)));
    }

    @Test
    void deletionOfAnExistingCredentialRemovesIt() {
        ControllerResult<Map<String, ApiError>> result = control.alterUserScramCredentials(withAlice(), List.of(
                new ScramDeletion("alice", SHA_256)), List.of());

        assertThat(result.response()).containsExactly(Map.entry("alice", ApiError.NONE));
        assertThat(result.records()).containsExactly(
                new RemoveUserScramCredentialRecord("alice", ScramMechanism.SCRAM_SHA_256));
    }

    @Test
    void eachInvalidChangeFailsItsUserWithTheMatchingError() {
        ControllerResult<Map<String, ApiError>> result = control.alterUserScramCredentials(withAlice(),
                List.of(new ScramDeletion("ghost", SHA_256), new ScramDeletion("alice", SHA_512),
                        new ScramDeletion("dup", SHA_256)),
                List.of(upsertion("", SHA_256, 4096), upsertion("few", SHA_256, 4095),
                        upsertion("many", SHA_512, 16385), upsertion("odd", (byte) 3, 4096),
                        new ScramUpsertion("saltless", SHA_256, 4096, new byte[0], SALTED_PASSWORD),
                        new ScramUpsertion("hollow", SHA_256, 4096, SALT, new byte[0]),
                        upsertion("dup", SHA_256, 4096), upsertion("twice", SHA_512, 4096),
                        upsertion("twice", SHA_512, 8192)));

        assertThat(result.records()).isEmpty();
        Map<String, ApiError> errors = result.response();
        assertThat(errors.keySet()).containsExactly("ghost", "alice", "dup", "", "few", "many", "odd", "saltless",
                "hollow", "twice");
        assertThat(errors.get("ghost").error()).isEqualTo(Errors.RESOURCE_NOT_FOUND);
        assertThat(errors.get("alice").error()).isEqualTo(Errors.RESOURCE_NOT_FOUND);
        assertThat(errors.get("alice").messageOrDefault()).contains("SCRAM-SHA-512", "does not exist");
        assertThat(errors.get("dup").error()).isEqualTo(Errors.DUPLICATE_RESOURCE);
        assertThat(errors.get("").error()).isEqualTo(Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(errors.get("few").error()).isEqualTo(Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(errors.get("few").messageOrDefault()).contains("Too few iterations", "4096");
        assertThat(errors.get("many").error()).isEqualTo(Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(errors.get("many").messageOrDefault()).contains("Too many iterations", "16384");
        assertThat(errors.get("odd").error()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM);
        assertThat(errors.get("saltless").error()).isEqualTo(Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(errors.get("hollow").error()).isEqualTo(Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(errors.get("twice").error()).isEqualTo(Errors.DUPLICATE_RESOURCE);
    }

    @Test
    void aFailedUserChangesNothingWhileOtherUsersProceed() {
        ControllerResult<Map<String, ApiError>> result = control.alterUserScramCredentials(withAlice(),
                List.of(new ScramDeletion("alice", SHA_256)),
                List.of(upsertion("alice", SHA_512, 100), upsertion("bob", SHA_512, 4096)));

        assertThat(result.response().get("alice").error()).isEqualTo(Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(result.response().get("bob")).isEqualTo(ApiError.NONE);
        assertThat(result.records()).hasSize(1).allSatisfy(record ->
                assertThat(record).isInstanceOfSatisfying(UserScramCredentialRecord.class,
                        upserted -> assertThat(upserted.name()).isEqualTo("bob")));
    }

    @Test
    void committedCredentialsAreInTheImageAndSurviveARestart() throws IOException {
        QuorumController controller = new QuorumController("cluster", new LocalMetadataLog(logDir),
                TestConfigSchema.settings());
        controller.start().join();
        Map<String, ApiError> outcome = controller.alterUserScramCredentials(List.of(),
                List.of(upsertion("alice", SHA_256, 4096), upsertion("alice", SHA_512, 8192))).join();
        controller.close();

        assertThat(outcome).containsExactly(Map.entry("alice", ApiError.NONE));
        QuorumController restarted = new QuorumController("cluster", new LocalMetadataLog(logDir),
                TestConfigSchema.settings());
        try {
            restarted.start().join();
            assertThat(restarted.image().scramCredential("alice", ScramMechanism.SCRAM_SHA_512))
                    .map(ScramCredential::iterations).contains(8192);
            assertThat(restarted.image().scramCredentials().get("alice")).hasSize(2);
        } finally {
            restarted.close();
        }
    }

    private static ScramUpsertion upsertion(String user, byte mechanism, int iterations) {
        return new ScramUpsertion(user, mechanism, iterations, SALT, SALTED_PASSWORD);
    }

    private static MetadataImage withAlice() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(new UserScramCredentialRecord("alice", ScramMechanism.SCRAM_SHA_256,
                ScramCredential.fromSaltedPassword(ScramMechanism.SCRAM_SHA_256, SALT, SALTED_PASSWORD, 4096)));
        return delta.apply();
    }
}
