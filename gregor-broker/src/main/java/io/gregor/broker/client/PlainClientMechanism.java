package io.gregor.broker.client;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** SASL PLAIN (RFC 4616), client side: one message, {@code NUL username NUL password}, no authzid. */
final class PlainClientMechanism implements SaslClientMechanism {
    static final String MECHANISM = "PLAIN";

    private final String username;
    private final String password;

    PlainClientMechanism(String username, String password) {
        this.username = username;
        this.password = password;
    }

    @Override
    public byte[] firstMessage() {
        return ("\u0000" + username + "\u0000" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<byte[]> evaluate(byte[] challenge) {
        return Optional.empty(); // the server's success answer is all there is
    }
}
