package io.gregor.broker.client;

import io.gregor.broker.security.ScramMessages;
import io.gregor.metadata.image.ScramMechanism;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802, RFC 7677), client side, without channel binding.
 *
 * <p>client-first names the user and a fresh nonce; the server-first gives salt, iteration count
 * and the extended nonce; client-final proves knowledge of the salted password; the server-final
 * carries the server's signature, checked here so that a node which does not hold the credential
 * (an impostor on the address) is not trusted with the requests.
 */
final class ScramClientMechanism implements SaslClientMechanism {
    /** No channel binding, no authorization id: the user in client-first-bare is who we are. */
    private static final String GS2_HEADER = "n,,";
    private static final int NONCE_BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { EXPECT_SERVER_FIRST, EXPECT_SERVER_FINAL, COMPLETE }

    private final ScramMechanism mechanism;
    private final String password;
    private final String clientNonce;
    private final String clientFirstBare;
    private State state = State.EXPECT_SERVER_FIRST;
    private byte[] saltedPassword;
    private String authMessage;

    ScramClientMechanism(ScramMechanism mechanism, String username, String password, String clientNonce) {
        this.mechanism = mechanism;
        this.password = password;
        this.clientNonce = clientNonce;
        this.clientFirstBare = "n=" + ScramMessages.encodeSaslName(username) + ",r=" + clientNonce;
    }

    static ScramClientMechanism start(SaslClientCredentials credentials) {
        ScramMechanism mechanism = ScramMechanism.forMechanismName(credentials.mechanism())
                .orElseThrow(() -> new IllegalArgumentException("Not a SASL mechanism: " + credentials.mechanism()));
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        // base64 has no comma, so the nonce is a valid attribute value
        return new ScramClientMechanism(mechanism, credentials.username(), credentials.password(),
                Base64.getEncoder().encodeToString(nonce));
    }

    @Override
    public byte[] firstMessage() {
        return (GS2_HEADER + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<byte[]> evaluate(byte[] challenge) throws NodeAuthenticationException {
        String message = new String(challenge, StandardCharsets.UTF_8);
        switch (state) {
            case EXPECT_SERVER_FIRST:
                state = State.EXPECT_SERVER_FINAL;
                return Optional.of(clientFinal(message).getBytes(StandardCharsets.UTF_8));
            case EXPECT_SERVER_FINAL:
                verifyServerFinal(message);
                state = State.COMPLETE;
                return Optional.empty();
            default:
                throw new NodeAuthenticationException("unexpected SCRAM message after the exchange ended");
        }
    }

    private String clientFinal(String serverFirst) throws NodeAuthenticationException {
        Map<String, String> attributes = attributes(serverFirst);
        String nonce = required(attributes, "r");
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new NodeAuthenticationException("the server's SCRAM nonce does not extend ours");
        }
        byte[] salt;
        int iterations;
        try {
            salt = Base64.getDecoder().decode(required(attributes, "s"));
            iterations = Integer.parseInt(required(attributes, "i"));
        } catch (IllegalArgumentException e) {
            throw new NodeAuthenticationException("malformed SCRAM server-first message: " + e.getMessage());
        }
        if (iterations < 1) {
            throw new NodeAuthenticationException("SCRAM iteration count " + iterations + " is not positive");
        }
        saltedPassword = mechanism.saltedPassword(password.toCharArray(), salt, iterations);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.UTF_8))
                + ",r=" + nonce;
        authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientKey = mechanism.hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.UTF_8));
        byte[] signature = mechanism.hmac(mechanism.hash(clientKey), authMessage.getBytes(StandardCharsets.UTF_8));
        byte[] proof = ScramMessages.xor(clientKey, signature);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    private void verifyServerFinal(String serverFinal) throws NodeAuthenticationException {
        Map<String, String> attributes = attributes(serverFinal);
        if (attributes.containsKey("e")) {
            throw new NodeAuthenticationException("the server refused the SCRAM proof: " + attributes.get("e"));
        }
        byte[] serverKey = mechanism.hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.UTF_8));
        byte[] expected = mechanism.hmac(serverKey, authMessage.getBytes(StandardCharsets.UTF_8));
        byte[] received;
        try {
            received = Base64.getDecoder().decode(required(attributes, "v"));
        } catch (IllegalArgumentException e) {
            throw new NodeAuthenticationException("the SCRAM server signature is not base64");
        }
        if (!MessageDigest.isEqual(expected, received)) {
            throw new NodeAuthenticationException("the server's SCRAM signature is wrong: it does not hold "
                    + "this user's credential");
        }
    }

    private static Map<String, String> attributes(String text) throws NodeAuthenticationException {
        return ScramMessages.attributes(text)
                .orElseThrow(() -> new NodeAuthenticationException("malformed SCRAM message from the server"));
    }

    private static String required(Map<String, String> attributes, String name) throws NodeAuthenticationException {
        String value = attributes.get(name);
        if (value == null || value.isEmpty()) {
            throw new NodeAuthenticationException("the server's SCRAM message has no " + name + "= attribute");
        }
        return value;
    }
}
