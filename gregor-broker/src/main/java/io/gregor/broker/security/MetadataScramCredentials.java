package io.gregor.broker.security;

import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.image.ScramMechanism;
import io.gregor.metadata.token.DelegationToken;
import io.gregor.metadata.token.TokenHmac;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * SCRAM credentials from the current metadata image: users' stored ones, and those of delegation
 * tokens, which this node derives itself, as Kafka's brokers do: the token's password is its HMAC in
 * base64 ({@link TokenHmac#password}), salted with a salt of this node's and Kafka's minimum
 * iteration count. The metadata holds no HMAC, so only nodes with the secret key can do this.
 *
 * <p>Derived credentials are kept per token and mechanism, so that PBKDF2 runs once per token and
 * node, not at each login; those of tokens gone from the image are dropped when the cache outgrows
 * the image. Thread-safe: network threads of every listener share it.
 */
public final class MetadataScramCredentials implements ScramCredentialLookup {
    private static final int SALT_BYTES = 16;

    private final Supplier<MetadataImage> image;
    private final Optional<TokenHmac> hmac;
    private final SecureRandom random = new SecureRandom();
    private final Map<TokenMechanism, ScramCredential> tokenCredentials = new ConcurrentHashMap<>();

    /** @param hmac the HMAC of delegation.token.secret.key; empty when tokens are disabled */
    public MetadataScramCredentials(Supplier<MetadataImage> image, Optional<TokenHmac> hmac) {
        this.image = image;
        this.hmac = hmac;
    }

    @Override
    public Optional<ScramCredential> find(String user, ScramMechanism mechanism) {
        return image.get().scramCredential(user, mechanism);
    }

    @Override
    public Optional<TokenCredential> findToken(String tokenId, ScramMechanism mechanism) {
        if (hmac.isEmpty()) {
            return Optional.empty();
        }
        Map<String, DelegationToken> tokens = image.get().delegationTokens();
        DelegationToken token = tokens.get(tokenId);
        if (token == null) {
            return Optional.empty();
        }
        if (tokenCredentials.size() > ScramMechanism.values().length * tokens.size()) {
            tokenCredentials.keySet().removeIf(key -> !tokens.containsKey(key.tokenId()));
        }
        ScramCredential credential = tokenCredentials.computeIfAbsent(new TokenMechanism(tokenId, mechanism),
                key -> derive(key.tokenId(), mechanism));
        return Optional.of(new TokenCredential(token.owner(), credential, token.expiryTimestamp()));
    }

    private ScramCredential derive(String tokenId, ScramMechanism mechanism) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        int iterations = ScramMechanism.MIN_ITERATIONS;
        char[] password = hmac.orElseThrow().password(tokenId).toCharArray();
        return ScramCredential.fromSaltedPassword(mechanism, salt, mechanism.saltedPassword(password, salt, iterations),
                iterations);
    }

    private record TokenMechanism(String tokenId, ScramMechanism mechanism) {
    }
}
