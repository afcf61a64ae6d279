package io.gregor.metadata.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the cluster keeps of a user's password for one SCRAM mechanism (RFC 5802): the salt and
 * iteration count the client needs to salt its password, and the two keys the server checks the
 * client's proof with and proves itself with. Neither key lets anyone log in without the password,
 * which is never stored. The arrays are copied in and out, so an instance cannot be changed.
 */
public record ScramCredential(byte[] salt, byte[] storedKey, byte[] serverKey, int iterations) {
    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    public ScramCredential {
        salt = Objects.requireNonNull(salt, "salt").clone();
        storedKey = Objects.requireNonNull(storedKey, "storedKey").clone();
        serverKey = Objects.requireNonNull(serverKey, "serverKey").clone();
    }

    /**
     * The credential of a salted password (Hi(password, salt, iterations), which the Admin client
     * computes): StoredKey = H(HMAC(SaltedPassword, "Client Key")), ServerKey = HMAC(SaltedPassword,
     * "Server Key").
     */
    public static ScramCredential fromSaltedPassword(ScramMechanism mechanism, byte[] salt, byte[] saltedPassword,
                                                     int iterations) {
        byte[] clientKey = mechanism.hmac(saltedPassword, CLIENT_KEY);
        byte[] storedKey = mechanism.hash(clientKey);
        byte[] serverKey = mechanism.hmac(saltedPassword, SERVER_KEY);
        return new ScramCredential(salt, storedKey, serverKey, iterations);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramCredential that
                && iterations == that.iterations
                && Arrays.equals(salt, that.salt)
                && Arrays.equals(storedKey, that.storedKey)
                && Arrays.equals(serverKey, that.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(salt), Arrays.hashCode(storedKey), Arrays.hashCode(serverKey), iterations);
    }

    /** Without salt or keys: credentials end up in logs through the records that carry them. */
    @Override
    public String toString() {
        return "ScramCredential(iterations=" + iterations + ")";
    }
}
