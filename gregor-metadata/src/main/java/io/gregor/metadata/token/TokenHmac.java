package io.gregor.metadata.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC of delegation tokens: HMAC-SHA512 of the token id, keyed with
 * {@code delegation.token.secret.key}, as Kafka computes it. Every node has the same key, so every
 * node computes the same HMAC, and the metadata log never holds one. The HMAC is the token's
 * password: clients send its base64 form as their SCRAM password.
 */
public final class TokenHmac {
    private static final String ALGORITHM = "HmacSHA512";

    private final SecretKeySpec key;

    public TokenHmac(String secretKey) {
        Objects.requireNonNull(secretKey, "secretKey");
        if (secretKey.isEmpty()) {
            throw new IllegalArgumentException("the delegation token secret key must not be empty");
        }
        this.key = new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    public byte[] of(String tokenId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(tokenId.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The Java runtime does not provide " + ALGORITHM, e);
        }
    }

    /** The SCRAM password of a token: its HMAC in base64, as Kafka's clients are given it to send. */
    public String password(String tokenId) {
        return Base64.getEncoder().encodeToString(of(tokenId));
    }

    /** The token, among those given, whose HMAC this is: renew and expire requests name tokens by HMAC. */
    public Optional<DelegationToken> find(Collection<DelegationToken> tokens, byte[] hmac) {
        return tokens.stream().filter(token -> MessageDigest.isEqual(of(token.tokenId()), hmac)).findFirst();
    }
}
