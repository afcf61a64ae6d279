package io.gregor.broker.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/** Tokens for the tests: unsecured ones as Kafka's unsecured login module writes them, and signed ones. */
final class TestJwts {
    private TestJwts() {
    }

    static String unsecured(Map<String, Object> claims) {
        return base64Url("{\"alg\":\"none\"}") + "." + base64Url(JsonUtil.toJson(claims)) + ".";
    }

    /** A JWS of the claims, signed with the key (its kid in the header) by the algorithm. */
    static String signed(PublicJsonWebKey key, String algorithm, Map<String, Object> claims) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(JsonUtil.toJson(claims));
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(algorithm);
        return jws.getCompactSerialization();
    }

    /** The client's first message, as Kafka's OAuthBearerSaslClient writes it. */
    static byte[] clientFirst(String authorizationId, String token, String... extensions) {
        StringBuilder message = new StringBuilder("n,").append(authorizationId.isEmpty() ? "" : "a=" + authorizationId)
                .append(",\u0001auth=Bearer ").append(token).append('\u0001');
        for (String extension : extensions) {
            message.append(extension).append('\u0001');
        }
        return message.append('\u0001').toString().getBytes(StandardCharsets.UTF_8);
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
