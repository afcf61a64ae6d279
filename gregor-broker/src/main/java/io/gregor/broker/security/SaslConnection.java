package io.gregor.broker.security;

import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.SaslAuthenticateRequest;
import io.gregor.protocol.message.SaslAuthenticateResponse;
import io.gregor.protocol.message.SaslHandshakeRequest;
import io.gregor.protocol.message.SaslHandshakeResponse;
import java.util.ArrayList;
import java.util.Optional;

/**
 * Where one connection of a SASL listener stands in its authentication (KIP-43, KIP-152): a
 * SaslHandshake picks the mechanism, then SaslAuthenticate requests (or, after a version 0
 * handshake, bare frames) carry the mechanism's messages until the client has proven who it is. Until then the connection may send ApiVersions and
 * nothing else; after a failure it is closed. Kafka's clients re-authenticate only when told a
 * session lifetime, and this broker tells none (connections.max.reauth.ms is not supported).
 *
 * <p>Not thread-safe: used on the connection's network thread only.
 */
public final class SaslConnection {
    /** A session lifetime of 0: the client never needs to re-authenticate. */
    private static final long NO_SESSION_LIFETIME = 0;

    private enum State { EXPECT_HANDSHAKE, EXPECT_AUTHENTICATE, AUTHENTICATED, FAILED }

    private final ListenerAuthentication listener;
    private State state = State.EXPECT_HANDSHAKE;
    private SaslServerExchange exchange;
    /** Whether the handshake was version 0, after which the mechanism's messages come without Kafka framing. */
    private boolean rawTokens;

    public SaslConnection(ListenerAuthentication listener) {
        this.listener = listener;
    }

    /**
     * Answers a SaslHandshake. After version 0 (kafka-python still sends it) the mechanism's
     * messages come as bare size-prefixed frames, see {@link #rawToken}; after version 1 in
     * SaslAuthenticate requests.
     */
    public SaslHandshakeResponse handshake(SaslHandshakeRequest request, short version) {
        SaslHandshakeResponse response = new SaslHandshakeResponse()
                .setMechanisms(new ArrayList<>(listener.mechanisms()));
        if (state != State.EXPECT_HANDSHAKE) {
            state = State.FAILED;
            return response.setErrorCode(Errors.ILLEGAL_SASL_STATE.code());
        }
        Optional<SaslServerExchange> started = listener.newExchange(request.mechanism());
        if (started.isEmpty()) {
            state = State.FAILED;
            return response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
        }
        exchange = started.get();
        rawTokens = version == 0;
        state = State.EXPECT_AUTHENTICATE;
        return response.setErrorCode(Errors.NONE.code());
    }

    /** Whether the next frame is a bare message of the mechanism, not a request. */
    public boolean expectsRawToken() {
        return state == State.EXPECT_AUTHENTICATE && rawTokens;
    }

    /**
     * Evaluates a bare message of the mechanism, sent after a version 0 handshake.
     *
     * @return the bytes to send back in a bare size-prefixed frame (empty for PLAIN's one message)
     * @throws AuthenticationFailedException when the exchange failed; the connection is then closed
     *     without an answer, as there is no way to frame an error
     */
    public byte[] rawToken(byte[] token) throws AuthenticationFailedException {
        if (!expectsRawToken()) {
            throw new IllegalStateException("no bare SASL message expected");
        }
        try {
            byte[] answer = exchange.evaluate(token);
            if (exchange.isComplete()) {
                state = State.AUTHENTICATED;
            }
            return answer;
        } catch (AuthenticationFailedException e) {
            state = State.FAILED;
            throw e;
        }
    }

    public SaslAuthenticateResponse authenticate(SaslAuthenticateRequest request) {
        SaslAuthenticateResponse response = new SaslAuthenticateResponse().setAuthBytes(new byte[0])
                .setSessionLifetimeMs(NO_SESSION_LIFETIME);
        if (state != State.EXPECT_AUTHENTICATE || rawTokens) {
            state = State.FAILED;
            return response.setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                    .setErrorMessage("SaslAuthenticate before a successful SaslHandshake");
        }
        try {
            response.setAuthBytes(exchange.evaluate(request.authBytes()));
        } catch (AuthenticationFailedException e) {
            state = State.FAILED;
            return response.setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code()).setErrorMessage(e.getMessage());
        }
        if (exchange.isComplete()) {
            state = State.AUTHENTICATED;
        }
        return response.setErrorCode(Errors.NONE.code());
    }

    public boolean authenticated() {
        return state == State.AUTHENTICATED;
    }

    /** Whether the exchange failed; the connection is then closed once the answer is sent. */
    public boolean failed() {
        return state == State.FAILED;
    }

    /** {@code User:name} of the authenticated client; only once authenticated. */
    public String principal() {
        return "User:" + exchange.authenticatedUser();
    }

    /** The mechanism and user, for logs; only once authenticated. */
    public String describe() {
        return exchange.mechanism() + " user " + exchange.authenticatedUser();
    }

    public long failedAuthenticationDelayMs() {
        return listener.failedAuthenticationDelayMs();
    }
}
