package io.gregor.broker.security;

import static io.gregor.broker.security.TestJwts.nowSeconds;
import static io.gregor.broker.security.TestJwts.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.gregor.broker.config.OAuthBearerSettings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A JWKS served over HTTP by an identity provider that rotates its keys and is sometimes down. */
class JwksSourceTest {
    private final AtomicReference<String> served = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger reads = new AtomicInteger();
    private HttpServer provider;
    private String url;
    private PublicJsonWebKey first;
    private PublicJsonWebKey second;

    @BeforeEach
    void startProvider() throws Exception {
        first = RsaJwkGenerator.generateJwk(2048);
        first.setKeyId("first");
        second = RsaJwkGenerator.generateJwk(2048);
        second.setKeyId("second");
        serve(first);
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/jwks", exchange -> {
            reads.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        provider.start();
        url = "http://127.0.0.1:" + provider.getAddress().getPort() + "/jwks";
        System.setProperty(OAuthBearerSettings.ALLOWED_URLS_PROPERTY, url);
    }

    @AfterEach
    void stopProvider() {
        provider.stop(0);
        System.clearProperty(OAuthBearerSettings.ALLOWED_URLS_PROPERTY);
    }

    @Test
    void aTokenWithANewKeyBringsTheNextReadForward() throws Exception {
        try (JwksTokenValidator validator = JwksTokenValidator.start(settings(3_600_000), "SASL_SSL")) {
            assertThat(validator.validate(signed(first, "RS256", claims())).principalName()).isEqualTo("alice");
            serve(first, second);
            String rotated = signed(second, "RS256", claims());
            assertThatThrownBy(() -> validator.validate(rotated)).hasMessageContaining("not signed by a key");
            // bounded: the read it asked for comes at once, not after the hour of refresh.ms
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> validator.validate(rotated).principalName().equals("alice"));
        }
    }

    @Test
    void keysAreReadAgainPeriodicallyAndAFailedReadKeepsThem() throws Exception {
        try (JwksTokenValidator validator = JwksTokenValidator.start(settings(100), "SASL_SSL")) {
            status.set(500);
            int readsBefore = reads.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() >= readsBefore + 3);
            assertThat(validator.validate(signed(first, "RS256", claims())).principalName())
                    .as("the keys read before the provider failed").isEqualTo("alice");
            status.set(200);
            serve(second);
            String rotated = signed(second, "RS256", claims());
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> validator.validate(rotated).principalName().equals("alice"));
        }
    }

    @Test
    void anUnreachableProviderAtStartStopsTheStart() {
        status.set(503);
        assertThatThrownBy(() -> JwksTokenValidator.start(settings(3_600_000), "SASL_SSL"))
                .hasMessageContaining(url).hasMessageContaining("HTTP status 503");
    }

    private void serve(PublicJsonWebKey... keys) {
        served.set(new JsonWebKeySet(List.<JsonWebKey>of(keys)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    private static Map<String, Object> claims() {
        long now = nowSeconds();
        return Map.of("sub", "alice", "iat", now, "exp", now + 300);
    }

    private OAuthBearerSettings settings(long refreshMs) {
        return new OAuthBearerSettings(Optional.empty(), Optional.of(url), "sasl.oauthbearer.jwks.endpoint.url",
                refreshMs, 10, 50, List.of(), Optional.empty(), "sub", "scope", 30);
    }
}
