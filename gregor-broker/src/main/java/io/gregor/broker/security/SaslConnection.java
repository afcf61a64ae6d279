package io.gregor.broker.security;

import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.SaslAuthenticateRequest;
import io.gregor.protocol.message.SaslAuthenticateResponse;
import io.gregor.protocol.message.SaslHandshakeRequest;
import io.gregor.protocol.message.SaslHandshakeResponse;
import java.util.ArrayList;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Where one connection of a SASL listener stands in its authentication (KIP-43, KIP-152): a
 * SaslHandshake picks the mechanism, then SaslAuthenticate requests (or, after a version 0
 * handshake, bare frames) carry the mechanism's messages until the client has proven who it is.
 * Until then the connection may send ApiVersions and nothing else; after a failure it is closed.
 * With {@code connections.max.reauth.ms}, or a credential that expires (an OAUTHBEARER token),
 * the client is told its session's lifetime, the shorter of the two, and re-authenticates before
 * it ends (KIP-368), as the same principal; a connection whose session ended is closed at its next
 * request.
 *
 * <p>Not thread-safe: used on the connection's network thread only.
 */
public final class SaslConnection {
    private enum State { EXPECT_HANDSHAKE, EXPECT_AUTHENTICATE, AUTHENTICATED, FAILED }

    private final ListenerAuthentication listener;
    private final LongSupplier nanoClock;
    private State state = State.EXPECT_HANDSHAKE;
    private SaslServerExchange exchange;
    /** Whether the handshake was version 0, after which the mechanism's messages come without Kafka framing. */
    private boolean rawTokens;
    /** The principal of the first authentication, which a re-authentication may not change; null before. */
    private String principal;
    /** Whether the latest authentication was with a delegation token. */
    private boolean tokenAuthenticated;
    /** Whether the session has an end: with connections.max.reauth.ms, or a credential that expires. */
    private boolean sessionEnds;
    /** How long the session lasts, as told to the client; 0 when it has no end. */
    private long sessionLifetimeMs;
    /** When the session ends unless the client re-authenticates (nanoTime); only when {@link #sessionEnds}. */
    private long sessionEndsAt;

    public SaslConnection(ListenerAuthentication listener) {
        this(listener, System::nanoTime);
    }

    SaslConnection(ListenerAuthentication listener, LongSupplier nanoClock) {
        this.listener = listener;
        this.nanoClock = nanoClock;
    }

    /**
     * Whether this connection's request of that API is the authentication's business: every
     * request until the client has authenticated; when the session has an end, a SaslHandshake
     * that starts a re-authentication (KIP-368), and any request once the session has ended.
     */
    public boolean claims(ApiKey apiKey) {
        if (state != State.AUTHENTICATED) {
            return true;
        }
        return sessionEnds && (apiKey == ApiKey.SASL_HANDSHAKE || nanoClock.getAsLong() - sessionEndsAt > 0);
    }

    /** Whether the session ended without a re-authentication; the connection is then closed. */
    public boolean sessionEnded() {
        return state == State.AUTHENTICATED && sessionEnds && nanoClock.getAsLong() - sessionEndsAt > 0;
    }

    /**
     * Answers a SaslHandshake. After version 0 (kafka-python still sends it) the mechanism's
     * messages come as bare size-prefixed frames, see {@link #rawToken}; after version 1 in
     * SaslAuthenticate requests.
     */
    public SaslHandshakeResponse handshake(SaslHandshakeRequest request, short version) {
        SaslHandshakeResponse response = new SaslHandshakeResponse()
                .setMechanisms(new ArrayList<>(listener.mechanisms()));
        boolean reauthentication = state == State.AUTHENTICATED && sessionEnds && version > 0;
        if (state != State.EXPECT_HANDSHAKE && !reauthentication) {
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
                authenticatedAs(exchange.authenticatedUser());
            }
            return answer;
        } catch (AuthenticationFailedException e) {
            state = State.FAILED;
            throw e;
        }
    }

    public SaslAuthenticateResponse authenticate(SaslAuthenticateRequest request) {
        SaslAuthenticateResponse response = new SaslAuthenticateResponse().setAuthBytes(new byte[0]);
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
            try {
                authenticatedAs(exchange.authenticatedUser());
            } catch (AuthenticationFailedException e) {
                return response.setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code()).setErrorMessage(e.getMessage());
            }
            response.setSessionLifetimeMs(sessionLifetimeMs);
        }
        return response.setErrorCode(Errors.NONE.code());
    }

    /**
     * The exchange succeeded: the session (re)starts, for the same principal as before if any. It
     * lasts, as in Kafka, connections.max.reauth.ms if set, but no longer than the credential.
     */
    private void authenticatedAs(String user) throws AuthenticationFailedException {
        String authenticated = "User:" + user;
        if (principal != null && !principal.equals(authenticated)) {
            state = State.FAILED;
            throw new AuthenticationFailedException("Authentication failed: a re-authentication may not change the "
                    + "principal, " + principal + ", to " + authenticated);
        }
        principal = authenticated;
        tokenAuthenticated = exchange.tokenAuthenticated();
        state = State.AUTHENTICATED;
        long maxSessionMs = listener.reauthenticationMs();
        OptionalLong credentialMs = exchange.credentialLifetimeMs();
        sessionEnds = maxSessionMs > 0 || credentialMs.isPresent();
        if (credentialMs.isEmpty()) {
            sessionLifetimeMs = maxSessionMs;
        } else {
            long remaining = Math.max(0, credentialMs.getAsLong());
            sessionLifetimeMs = maxSessionMs > 0 ? Math.min(remaining, maxSessionMs) : remaining;
        }
        sessionEndsAt = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(sessionLifetimeMs);
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
        if (principal == null) {
            throw new IllegalStateException("not authenticated");
        }
        return principal;
    }

    /** Whether the client authenticated with a delegation token; its principal is then the token's owner. */
    public boolean tokenAuthenticated() {
        return tokenAuthenticated;
    }

    /** The mechanism and user, for logs; only once authenticated. */
    public String describe() {
        return exchange.mechanism() + " user " + exchange.authenticatedUser();
    }

    public long failedAuthenticationDelayMs() {
        return listener.failedAuthenticationDelayMs();
    }
}
