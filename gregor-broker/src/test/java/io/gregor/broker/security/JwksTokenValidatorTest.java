package io.gregor.broker.security;

import static io.gregor.broker.security.TestJwts.nowSeconds;
import static io.gregor.broker.security.TestJwts.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.broker.config.OAuthBearerSettings;
import io.gregor.protocol.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed tokens checked against a JWKS read from a file: URL, as Kafka's OAuthBearerValidatorCallbackHandler checks them. */
class JwksTokenValidatorTest {
    private static final String ISSUER = "https://idp.example";
    private static PublicJsonWebKey rsa;
    private static PublicJsonWebKey ec;
    private static PublicJsonWebKey stranger;

    @TempDir
    Path dir;
    private String jwksUrl;
    private JwksTokenValidator validator;

    @BeforeAll
    static void keys() throws Exception {
        rsa = RsaJwkGenerator.generateJwk(2048);
        rsa.setKeyId("rsa-1");
        ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        ec.setKeyId("ec-1");
        stranger = RsaJwkGenerator.generateJwk(2048);
        stranger.setKeyId("rsa-1");
    }

    @BeforeEach
    void writeJwks() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JsonWebKeySet(rsa, ec).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        jwksUrl = jwks.toUri().toString();
        System.setProperty(OAuthBearerSettings.ALLOWED_URLS_PROPERTY, "https://elsewhere.example/jwks," + jwksUrl);
        validator = JwksTokenValidator.start(settings(jwksUrl, List.of("kafka"), Optional.of(ISSUER)), "SASL_SSL");
    }

    @AfterEach
    void stop() {
        validator.close();
        System.clearProperty(OAuthBearerSettings.ALLOWED_URLS_PROPERTY);
    }

    @Test
    void tokensSignedWithRsaOrEcKeysOfTheJwksAreAccepted() throws Exception {
        ValidToken byRsa = validator.validate(signed(rsa, "RS256", claims("alice")));
        assertThat(byRsa.principalName()).isEqualTo("alice");
        assertThat(byRsa.lifetimeMs()).isBetween(290_000L, 300_000L);
        assertThat(validator.validate(signed(ec, "ES256", claims("bob"))).principalName()).isEqualTo("bob");
    }

    @Test
    void eachFailedCheckIsNamed() {
        assertRefused(() -> signed(stranger, "RS256", claims("alice")), "signature does not verify");
        Map<String, Object> expired = claims("alice");
        expired.put("iat", nowSeconds() - 600);
        expired.put("exp", nowSeconds() - 60);
        assertRefused(() -> signed(rsa, "RS256", expired), "the token expired at");
        Map<String, Object> otherAudience = claims("alice");
        otherAudience.put("aud", "billing");
        assertRefused(() -> signed(rsa, "RS256", otherAudience), "audience (aud)");
        Map<String, Object> otherIssuer = claims("alice");
        otherIssuer.put("iss", "https://evil.example");
        assertRefused(() -> signed(rsa, "RS256", otherIssuer), "issuer (iss)");
        Map<String, Object> notYet = claims("alice");
        notYet.put("nbf", nowSeconds() + 200);
        assertRefused(() -> signed(rsa, "RS256", notYet), "not valid yet");
        Map<String, Object> noIat = claims("alice");
        noIat.remove("iat");
        assertRefused(() -> signed(rsa, "RS256", noIat), "lacks an exp or iat");
        Map<String, Object> noSub = claims("alice");
        noSub.remove("sub");
        assertRefused(() -> signed(rsa, "RS256", noSub), "no sub claim");
        assertRefused(() -> TestJwts.unsecured(claims("alice")), "not signed by a key of the identity provider");
        assertRefused(() -> "not.a.jwt", "not a valid signed JWT");
        PublicJsonWebKey unknownKid = stranger;
        assertRefused(() -> {
            unknownKid.setKeyId("rsa-2");
            return signed(unknownKid, "RS256", claims("alice"));
        }, "not signed by a key of the identity provider");
    }

    @Test
    void withinTheClockSkewAnExpiredTokenStillPasses() throws Exception {
        Map<String, Object> justExpired = claims("alice");
        justExpired.put("iat", nowSeconds() - 60);
        justExpired.put("exp", nowSeconds() - 10);
        assertThat(validator.validate(signed(rsa, "RS256", justExpired)).principalName()).isEqualTo("alice");
    }

    @Test
    void theUrlMustBeAllowedAndReadable() {
        assertThatThrownBy(() -> JwksTokenValidator.start(settings("file:/elsewhere/jwks.json", List.of(),
                Optional.empty()), "SASL_SSL"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sasl.oauthbearer.jwks.endpoint.url")
                .hasMessageContaining("file:/elsewhere/jwks.json")
                .hasMessageContaining("-D" + OAuthBearerSettings.ALLOWED_URLS_PROPERTY);
        System.setProperty(OAuthBearerSettings.ALLOWED_URLS_PROPERTY, jwksUrl + "x");
        assertThatThrownBy(() -> JwksTokenValidator.start(settings(jwksUrl + "x", List.of(), Optional.empty()),
                "SASL_SSL"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read the JWKS");
        System.setProperty(OAuthBearerSettings.ALLOWED_URLS_PROPERTY, "ftp://idp/jwks");
        assertThatThrownBy(() -> JwksTokenValidator.start(settings("ftp://idp/jwks", List.of(), Optional.empty()),
                "SASL_SSL"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("https://, http:// or file:");
    }

    private void assertRefused(TokenSource token, String reason) {
        assertThatThrownBy(() -> validator.validate(token.get()))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining(reason);
    }

    private static Map<String, Object> claims(String subject) {
        long now = nowSeconds();
        Map<String, Object> claims = new HashMap<>(Map.of("sub", subject, "iss", ISSUER, "aud", List.of("kafka", "other"),
                "iat", now, "exp", now + 300, "scope", "produce"));
        return claims;
    }

    private static OAuthBearerSettings settings(String url, List<String> audience, Optional<String> issuer) {
        OAuthBearerSettings defaults = OAuthBearerSettings.defaults();
        return new OAuthBearerSettings(Optional.empty(), Optional.of(url), defaults.jwksEndpointUrlKey(),
                defaults.jwksRefreshMs(), defaults.jwksRetryBackoffMs(), defaults.jwksRetryBackoffMaxMs(), audience,
                issuer, "sub", "scope", 30);
    }

    private interface TokenSource {
        String get() throws Exception;
    }
}
