package io.gregor.broker.security;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one message a client sends in SASL OAUTHBEARER (RFC 7628), as Kafka's clients write it:
 * a GS2 header without channel binding, then {@code ^A}-separated {@code key=value} pairs ended by
 * {@code ^A^A}: {@code n,[a=authzid],^Aauth=Bearer TOKEN^A[name=value^A]...^A}. The pairs other than
 * {@code auth} are SASL extensions (KIP-342).
 *
 * @param authorizationId the authzid of the GS2 header, empty when the client names none
 * @param token the bearer token, a JWT compact serialization
 * @param extensions the SASL extensions, by name
 */
record OAuthBearerClientResponse(String authorizationId, String token, Map<String, String> extensions) {
    static final String SEPARATOR = "\u0001";
    private static final String SASL_NAME = "(?:[\\x01-\\x7F&&[^=,]]|=2C|=3D)+";
    private static final String KEY = "[A-Za-z]+";
    private static final String VALUE = "[\\x21-\\x7E \t\r\n]+";
    private static final Pattern MESSAGE = Pattern.compile("n,(?:a=(?<authzid>" + SASL_NAME + "))?,"
            + SEPARATOR + "(?<pairs>(?:" + KEY + "=" + VALUE + SEPARATOR + ")*)" + SEPARATOR);
    private static final Pattern PAIR = Pattern.compile("(" + KEY + ")=(" + VALUE + ")");
    private static final Pattern AUTH = Pattern.compile("(?<scheme>\\w+) +(?<token>[-_.a-zA-Z0-9]+)");
    private static final String AUTH_KEY = "auth";

    OAuthBearerClientResponse {
        extensions = Map.copyOf(extensions);
    }

    /**
     * @throws AuthenticationFailedException naming what is wrong when the message is not of that form,
     *     lacks {@code auth}, or its scheme is not Bearer
     */
    static OAuthBearerClientResponse parse(byte[] message) throws AuthenticationFailedException {
        Matcher matcher = MESSAGE.matcher(new String(message, StandardCharsets.UTF_8));
        if (!matcher.matches()) {
            throw malformed("expected n,[a=authzid],^Aauth=Bearer TOKEN^A[key=value^A]...^A");
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        String allPairs = matcher.group("pairs");
        if (!allPairs.isEmpty()) {
            for (String pair : allPairs.split(SEPARATOR)) {
                Matcher keyValue = PAIR.matcher(pair);
                if (!keyValue.matches()) {
                    throw malformed("a key=value pair is malformed");
                }
                if (pairs.put(keyValue.group(1), keyValue.group(2)) != null) {
                    throw malformed("the key " + keyValue.group(1) + " is given twice");
                }
            }
        }
        String auth = pairs.remove(AUTH_KEY);
        if (auth == null) {
            throw malformed("'auth' not specified");
        }
        Matcher bearer = AUTH.matcher(auth);
        if (!bearer.matches()) {
            throw malformed("auth is not 'Bearer TOKEN'");
        }
        if (!bearer.group("scheme").equalsIgnoreCase("Bearer")) {
            throw malformed("the auth scheme is " + bearer.group("scheme") + ", not Bearer");
        }
        String authzid = matcher.group("authzid");
        return new OAuthBearerClientResponse(authzid == null ? "" : authzid, bearer.group("token"), pairs);
    }

    private static AuthenticationFailedException malformed(String reason) {
        return new AuthenticationFailedException("Authentication failed: invalid OAUTHBEARER message: " + reason);
    }
}
