package io.gregor.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * The tests' OAuth identity provider: an RSA key whose public half is published as a JWKS file
 * for the broker, and RS256 tokens signed with it (or, to be refused, with a key the broker does
 * not know). Counts the tokens issued per subject, so that a test sees a client fetch new ones.
 */
final class TestIdentityProvider {
    static final String ISSUER = "https://idp.gregor.test";
    static final String AUDIENCE = "gregor";
    private static final RsaJsonWebKey TRUSTED = generate("trusted-1");
    private static final RsaJsonWebKey STRANGER = generate("trusted-1");
    private static final Map<String, AtomicInteger> ISSUED = new ConcurrentHashMap<>();

    private TestIdentityProvider() {
    }

    /** Writes the JWKS with the trusted public key and returns its file: URL. */
    static String publishJwks(Path dir) throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, new JsonWebKeySet(List.<JsonWebKey>of(TRUSTED))
                .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        return file.toUri().toString();
    }

    /**
     * A signed token.
     *
     * @param lifetimeSeconds from now; negative for one that has expired
     * @param trusted whether signed with the key of the JWKS
     */
    static String token(String subject, String audience, String issuer, long lifetimeSeconds, boolean trusted)
            throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(subject);
        claims.setAudience(audience);
        claims.setIssuer(issuer);
        long now = System.currentTimeMillis() / 1000;
        // an expired token was issued well before it expired
        claims.setIssuedAt(NumericDate.fromSeconds(lifetimeSeconds > 0 ? now : now + lifetimeSeconds - 600));
        claims.setExpirationTime(NumericDate.fromSeconds(now + lifetimeSeconds));
        claims.setClaim("scope", "kafka");
        RsaJsonWebKey key = trusted ? TRUSTED : STRANGER;
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        ISSUED.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet();
        return jws.getCompactSerialization();
    }

    static int tokensIssuedTo(String subject) {
        return ISSUED.getOrDefault(subject, new AtomicInteger()).get();
    }

    private static RsaJsonWebKey generate(String keyId) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(keyId);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
