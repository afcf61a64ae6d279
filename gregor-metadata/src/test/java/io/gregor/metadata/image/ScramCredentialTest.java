package io.gregor.metadata.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramCredentialTest {
    /** The SCRAM-SHA-256 exchange of RFC 7677, section 3: user "user", password "pencil". */
    private static final byte[] RFC_7677_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final String RFC_7677_AUTH_MESSAGE = "n=user,r=rOprNGfwEbeRWgbNEkqO,"
            + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
            + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final byte[] RFC_7677_CLIENT_PROOF =
            Base64.getDecoder().decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
    private static final byte[] RFC_7677_SERVER_SIGNATURE =
            Base64.getDecoder().decode("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");

    @Test
    void credentialFromTheRfcPasswordVerifiesTheRfcExchange() {
        ScramMechanism sha256 = ScramMechanism.SCRAM_SHA_256;
        byte[] saltedPassword = sha256.saltedPassword("pencil".toCharArray(), RFC_7677_SALT, 4096);

        ScramCredential credential = ScramCredential.fromSaltedPassword(sha256, RFC_7677_SALT, saltedPassword, 4096);

        byte[] authMessage = RFC_7677_AUTH_MESSAGE.getBytes(StandardCharsets.UTF_8);
        // The server's check of the client: H(ClientProof XOR HMAC(StoredKey, AuthMessage)) = StoredKey.
        byte[] clientSignature = sha256.hmac(credential.storedKey(), authMessage);
        byte[] clientKey = new byte[clientSignature.length];
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] = (byte) (RFC_7677_CLIENT_PROOF[i] ^ clientSignature[i]);
        }
        assertThat(sha256.hash(clientKey)).isEqualTo(credential.storedKey());
        assertThat(sha256.hmac(credential.serverKey(), authMessage)).isEqualTo(RFC_7677_SERVER_SIGNATURE);
    }

    @Test
    void keysAreAsLongAsTheMechanismsHash() {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            byte[] salt = {1, 2, 3};
            byte[] saltedPassword = mechanism.saltedPassword("secret".toCharArray(), salt, ScramMechanism.MIN_ITERATIONS);

            ScramCredential credential = ScramCredential.fromSaltedPassword(mechanism, salt, saltedPassword,
                    ScramMechanism.MIN_ITERATIONS);

            assertThat(saltedPassword).hasSize(mechanism.hashLength());
            assertThat(credential.storedKey()).hasSize(mechanism.hashLength());
            assertThat(credential.serverKey()).hasSize(mechanism.hashLength());
        }
        assertThat(ScramMechanism.SCRAM_SHA_512.hashLength()).isEqualTo(64);
    }

    @Test
    void mechanismsAreFoundByWireTypeAndName() {
        assertThat(ScramMechanism.forType((byte) 1)).contains(ScramMechanism.SCRAM_SHA_256);
        assertThat(ScramMechanism.forType((byte) 2)).contains(ScramMechanism.SCRAM_SHA_512);
        assertThat(ScramMechanism.forType((byte) 0)).isEmpty();
        assertThat(ScramMechanism.forMechanismName("SCRAM-SHA-512")).contains(ScramMechanism.SCRAM_SHA_512);
        assertThat(ScramMechanism.forMechanismName("PLAIN")).isEmpty();
    }

    @Test
    void equalityIsByContentAndNeitherArrayNorTextLeaksTheKeys() {
        byte[] salt = {1, 2};
        ScramCredential credential = new ScramCredential(salt, new byte[] {3}, new byte[] {4}, 4096);
        salt[0] = 9;
        credential.storedKey()[0] = 9;

        assertThat(credential).isEqualTo(new ScramCredential(new byte[] {1, 2}, new byte[] {3}, new byte[] {4}, 4096));
        assertThat(credential).hasSameHashCodeAs(
                new ScramCredential(new byte[] {1, 2}, new byte[] {3}, new byte[] {4}, 4096));
        assertThat(credential).isNotEqualTo(new ScramCredential(new byte[] {1, 2}, new byte[] {3}, new byte[] {5}, 4096));
        assertThat(credential.toString()).isEqualTo("ScramCredential(iterations=4096)");
    }
}
