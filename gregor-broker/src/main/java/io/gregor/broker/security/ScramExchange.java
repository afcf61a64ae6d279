package io.gregor.broker.security;

import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.image.ScramMechanism;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802, RFC 7677), server side, as Kafka's clients speak it:
 * no channel binding, the user name in {@code n=}, optional extensions after the nonce.
 *
 * <p>Two client messages. The client-first names the user and a nonce; the answer gives the
 * user's salt and iteration count and extends the nonce. The client-final carries a proof that
 * the client knows the salted password; the answer carries the server's signature, by which the
 * client knows the broker holds the credential too. The password itself never travels, and the
 * broker holds only StoredKey and ServerKey.
 *
 * <p>An unknown user fails at the first message with the same words as a wrong password, so the
 * answer does not tell which users exist.
 *
 * <p>With the extension {@code tokenauth=true} (KIP-48) the user name is a delegation token's id
 * and the password its HMAC: the client proves it against the token's credential and becomes the
 * token's owner, marked as token-authenticated; its session lasts no longer than the token. An
 * unknown or expired token fails like a wrong password.
 */
final class ScramExchange implements SaslServerExchange {
    private static final int SERVER_NONCE_BYTES = 24;
    private static final String DELEGATION_TOKEN_EXTENSION = "tokenauth";

    private enum State { EXPECT_CLIENT_FIRST, EXPECT_CLIENT_FINAL, COMPLETE }

    private final ScramMechanism mechanism;
    private final ScramCredentialLookup credentials;
    private final SecureRandom random;
    private final LongSupplier clock;
    private State state = State.EXPECT_CLIENT_FIRST;
    private String user;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private ScramCredential credential;
    /** The user the client becomes: the name it gave, or the owner of the token it gave. */
    private String authenticated;
    /** The token's expiry (epoch milliseconds) when the client authenticates with a delegation token. */
    private OptionalLong tokenExpiryTimestamp = OptionalLong.empty();

    /** @param clock epoch milliseconds, against which delegation tokens expire */
    ScramExchange(ScramMechanism mechanism, ScramCredentialLookup credentials, SecureRandom random,
                  LongSupplier clock) {
        this.mechanism = mechanism;
        this.credentials = credentials;
        this.random = random;
        this.clock = clock;
    }

    @Override
    public String mechanism() {
        return mechanism.mechanismName();
    }

    @Override
    public byte[] evaluate(byte[] clientMessage) throws AuthenticationFailedException {
        String message = new String(clientMessage, StandardCharsets.UTF_8);
        return switch (state) {
            case EXPECT_CLIENT_FIRST -> clientFirst(message).getBytes(StandardCharsets.UTF_8);
            case EXPECT_CLIENT_FINAL -> clientFinal(message).getBytes(StandardCharsets.UTF_8);
            case COMPLETE -> throw new AuthenticationFailedException("Authentication failed: the exchange is over");
        };
    }

    /** client-first = gs2-header client-first-bare; gs2-header = ("n" | "y") "," ["a=" authzid] ",". */
    private String clientFirst(String message) throws AuthenticationFailedException {
        int firstComma = message.indexOf(',');
        int secondComma = firstComma < 0 ? -1 : message.indexOf(',', firstComma + 1);
        if (secondComma < 0) {
            throw malformed("client-first message has no GS2 header");
        }
        String bindFlag = message.substring(0, firstComma);
        if (!bindFlag.equals("n") && !bindFlag.equals("y")) {
            throw malformed("channel binding is not supported");
        }
        String authorizationField = message.substring(firstComma + 1, secondComma);
        gs2Header = message.substring(0, secondComma + 1);
        clientFirstBare = message.substring(secondComma + 1);
        Map<String, String> attributes = attributes(clientFirstBare);
        user = decodeSaslName(required(attributes, "n"));
        String clientNonce = required(attributes, "r");
        if (attributes.containsKey("m")) {
            throw malformed("mandatory extensions are not supported");
        }
        if (!authorizationField.isEmpty()
                && !(authorizationField.startsWith("a=") && decodeSaslName(authorizationField.substring(2)).equals(user))) {
            throw new AuthenticationFailedException(
                    "Authentication failed: Client requested an authorization id that is different from username");
        }
        if ("true".equalsIgnoreCase(attributes.get(DELEGATION_TOKEN_EXTENSION))) {
            long now = clock.getAsLong();
            TokenCredential token = credentials.findToken(user, mechanism)
                    .filter(found -> found.expiryTimestamp() >= now)
                    .orElseThrow(this::invalidCredentials);
            credential = token.credential();
            authenticated = token.ownerName();
            tokenExpiryTimestamp = OptionalLong.of(token.expiryTimestamp());
        } else {
            credential = credentials.find(user, mechanism).orElseThrow(this::invalidCredentials);
            authenticated = user;
        }
        byte[] serverNonce = new byte[SERVER_NONCE_BYTES];
        random.nextBytes(serverNonce);
        // base64 has no comma, so the nonce stays a valid attribute value
        nonce = clientNonce + Base64.getEncoder().encodeToString(serverNonce);
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt())
                + ",i=" + credential.iterations();
        state = State.EXPECT_CLIENT_FINAL;
        return serverFirst;
    }

    /** client-final = "c=" base64(gs2-header) ",r=" nonce [extensions] ",p=" base64(ClientProof). */
    private String clientFinal(String message) throws AuthenticationFailedException {
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw malformed("client-final message has no proof");
        }
        String withoutProof = message.substring(0, proofAt);
        Map<String, String> attributes = attributes(withoutProof);
        String expectedBinding = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (!expectedBinding.equals(required(attributes, "c"))) {
            throw malformed("channel binding does not match the GS2 header");
        }
        // RFC 5802 wants the nonce echoed exactly. librdkafka (2.0 at least) sends its own nonce
        // again before the whole echoed one, so the echo is accepted at the end of what it sent; the
        // proof still covers the message as the client sent it.
        if (!required(attributes, "r").endsWith(nonce)) {
            throw malformed("nonce does not match");
        }
        byte[] proof = base64(message.substring(proofAt + 3));
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = mechanism.hmac(credential.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            throw invalidCredentials();
        }
        byte[] clientKey = ScramMessages.xor(proof, clientSignature);
        if (!MessageDigest.isEqual(mechanism.hash(clientKey), credential.storedKey())) {
            throw invalidCredentials();
        }
        state = State.COMPLETE;
        return "v=" + Base64.getEncoder().encodeToString(mechanism.hmac(credential.serverKey(), authMessage));
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    @Override
    public String authenticatedUser() {
        if (state != State.COMPLETE) {
            throw new IllegalStateException(mechanism() + " exchange not complete");
        }
        return authenticated;
    }

    @Override
    public boolean tokenAuthenticated() {
        return tokenExpiryTimestamp.isPresent();
    }

    /** A token-authenticated session ends when the token expires, as in Kafka (KIP-368). */
    @Override
    public OptionalLong credentialLifetimeMs() {
        return tokenExpiryTimestamp.isPresent()
                ? OptionalLong.of(tokenExpiryTimestamp.getAsLong() - clock.getAsLong()) : OptionalLong.empty();
    }

    private static Map<String, String> attributes(String text) throws AuthenticationFailedException {
        return ScramMessages.attributes(text).orElseThrow(() -> malformed("an attribute is not name=value"));
    }

    private static String required(Map<String, String> attributes, String name) throws AuthenticationFailedException {
        String value = attributes.get(name);
        if (value == null || value.isEmpty()) {
            throw malformed("attribute " + name + " is missing");
        }
        return value;
    }

    private static String decodeSaslName(String name) throws AuthenticationFailedException {
        return ScramMessages.decodeSaslName(name).orElseThrow(() -> malformed("user name has an unescaped '='"));
    }

    private static byte[] base64(String text) throws AuthenticationFailedException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw malformed("proof is not base64");
        }
    }

    private AuthenticationFailedException invalidCredentials() {
        return new AuthenticationFailedException("Authentication failed during authentication due to invalid "
                + "credentials with SASL mechanism " + mechanism.mechanismName());
    }

    private static AuthenticationFailedException malformed(String reason) {
        return new AuthenticationFailedException("Authentication failed: invalid SCRAM message: " + reason);
    }
}
