package io.gregor.metadata.image;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SCRAM mechanisms of KIP-554 and the primitives RFC 5802 builds them from, for the mechanism's
 * hash. The type codes are those of the AlterUserScramCredentials and
 * DescribeUserScramCredentials requests; the names are the SASL mechanism names.
 */
public enum ScramMechanism {
    SCRAM_SHA_256((byte) 1, "SCRAM-SHA-256", "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", 32),
    SCRAM_SHA_512((byte) 2, "SCRAM-SHA-512", "SHA-512", "HmacSHA512", "PBKDF2WithHmacSHA512", 64);

    /** Kafka's bounds: fewer iterations make the salted password cheap to guess, more make logins slow. */
    public static final int MIN_ITERATIONS = 4096;
    public static final int MAX_ITERATIONS = 16384;

    private final byte type;
    private final String mechanismName;
    private final String digestAlgorithm;
    private final String macAlgorithm;
    private final String pbkdf2Algorithm;
    private final int hashLength;

    ScramMechanism(byte type, String mechanismName, String digestAlgorithm, String macAlgorithm,
                   String pbkdf2Algorithm, int hashLength) {
        this.type = type;
        this.mechanismName = mechanismName;
        this.digestAlgorithm = digestAlgorithm;
        this.macAlgorithm = macAlgorithm;
        this.pbkdf2Algorithm = pbkdf2Algorithm;
        this.hashLength = hashLength;
    }

    /** The code of the mechanism on the wire. */
    public byte type() {
        return type;
    }

    /** The SASL mechanism name, e.g. "SCRAM-SHA-256". */
    public String mechanismName() {
        return mechanismName;
    }

    /** The length in bytes of the hash, of its HMAC and of the salted password. */
    public int hashLength() {
        return hashLength;
    }

    public static Optional<ScramMechanism> forType(byte type) {
        return Arrays.stream(values()).filter(m -> m.type == type).findFirst();
    }

    public static Optional<ScramMechanism> forMechanismName(String name) {
        return Arrays.stream(values()).filter(m -> m.mechanismName.equals(name)).findFirst();
    }

    /** H() of RFC 5802. */
    public byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(digestAlgorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw unavailable(digestAlgorithm, e);
        }
    }

    /** HMAC() of RFC 5802. */
    public byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(key, macAlgorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw unavailable(macAlgorithm, e);
        }
    }

    /** Hi() of RFC 5802, which is PBKDF2 with this mechanism's HMAC and one hash length of output. */
    public byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
        KeySpec spec = new PBEKeySpec(password, salt, iterations, hashLength * Byte.SIZE);
        try {
            return SecretKeyFactory.getInstance(pbkdf2Algorithm).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw unavailable(pbkdf2Algorithm, e);
        }
    }

    /** Every Java 17 runtime has these algorithms; one without them cannot serve SCRAM at all. */
    private static IllegalStateException unavailable(String algorithm, GeneralSecurityException e) {
        return new IllegalStateException("The Java runtime does not provide " + algorithm, e);
    }
}
