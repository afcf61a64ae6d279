package io.gregor.broker.security;

import io.gregor.metadata.image.ScramMechanism;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** The client side of RFC 5802, written from the RFC, to drive {@link ScramExchange} in unit tests. */
final class ScramClient {
    private static final String GS2_HEADER = "n,,";

    private final ScramMechanism mechanism;
    private final String user;
    private final String password;
    private final String clientFirstBare;
    private byte[] saltedPassword;
    private String authMessage;

    ScramClient(ScramMechanism mechanism, String user, String password) {
        this(mechanism, user, password, "");
    }

    /** @param extensions SASL extensions after the nonce (KIP-342), e.g. {@code ,tokenauth=true}; or empty */
    ScramClient(ScramMechanism mechanism, String user, String password, String extensions) {
        this.mechanism = mechanism;
        this.user = user;
        this.password = password;
        this.clientFirstBare = "n=" + user + ",r=fyko+d2lbbFgONRv9qkxdawL" + extensions;
    }

    String first() {
        return GS2_HEADER + clientFirstBare;
    }

    String last(String serverFirst) {
        Map<String, String> attributes = new HashMap<>();
        for (String part : serverFirst.split(",")) {
            attributes.put(part.substring(0, 1), part.substring(2));
        }
        byte[] salt = Base64.getDecoder().decode(attributes.get("s"));
        saltedPassword = mechanism.saltedPassword(password.toCharArray(), salt, Integer.parseInt(attributes.get("i")));
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.UTF_8))
                + ",r=" + attributes.get("r");
        authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientKey = mechanism.hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.UTF_8));
        byte[] signature = mechanism.hmac(mechanism.hash(clientKey), authMessage.getBytes(StandardCharsets.UTF_8));
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    boolean verifies(String serverFinal) {
        byte[] serverKey = mechanism.hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.UTF_8));
        byte[] expected = mechanism.hmac(serverKey, authMessage.getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(expected, Base64.getDecoder().decode(serverFinal.substring(2)));
    }
}
