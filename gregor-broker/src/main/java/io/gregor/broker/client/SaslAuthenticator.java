package io.gregor.broker.client;

import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.SaslAuthenticateRequest;
import io.gregor.protocol.message.SaslAuthenticateResponse;
import io.gregor.protocol.message.SaslHandshakeRequest;
import io.gregor.protocol.message.SaslHandshakeResponse;
import io.gregor.protocol.wire.ApiMessage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Authenticates a fresh connection to a SASL listener (KIP-43, KIP-152): a SaslHandshake v1
 * naming the mechanism, then SaslAuthenticate requests carrying the mechanism's messages until
 * it is complete. Gregor nodes run the same build, so SaslAuthenticate goes at the highest
 * version this build has, without an ApiVersions exchange first.
 */
final class SaslAuthenticator {
    private static final short HANDSHAKE_VERSION = 1;
    private static final short AUTHENTICATE_VERSION = ApiKey.SASL_AUTHENTICATE.highestVersion();

    /** Sends one request on the connection being authenticated. */
    interface Connection {
        CompletableFuture<ApiMessage> send(ApiMessage request, short version);
    }

    private final SaslClientCredentials credentials;
    private final Connection connection;
    private final SaslClientMechanism mechanism;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private SaslAuthenticator(SaslClientCredentials credentials, Connection connection) {
        this.credentials = credentials;
        this.connection = connection;
        this.mechanism = SaslClientMechanism.forCredentials(credentials);
    }

    /**
     * Runs the exchange; the future fails with {@link NodeAuthenticationException} when the other
     * node refuses us or cannot prove itself, or with the connection's own failure (lost, timed out).
     */
    static CompletableFuture<Void> authenticate(SaslClientCredentials credentials, Connection connection) {
        SaslAuthenticator authenticator = new SaslAuthenticator(credentials, connection);
        authenticator.handshake();
        return authenticator.done;
    }

    private void handshake() {
        connection.send(new SaslHandshakeRequest().setMechanism(credentials.mechanism()), HANDSHAKE_VERSION)
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        done.completeExceptionally(failure);
                        return;
                    }
                    SaslHandshakeResponse handshake = (SaslHandshakeResponse) response;
                    Errors error = Errors.forCode(handshake.errorCode());
                    if (error == Errors.UNSUPPORTED_SASL_MECHANISM) {
                        fail("the listener offers " + handshake.mechanisms() + ", not " + credentials.mechanism());
                    } else if (error != Errors.NONE) {
                        fail("SaslHandshake answered " + error);
                    } else {
                        step(mechanism.firstMessage());
                    }
                });
    }

    private void step(byte[] message) {
        connection.send(new SaslAuthenticateRequest().setAuthBytes(message), AUTHENTICATE_VERSION)
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        done.completeExceptionally(failure);
                        return;
                    }
                    SaslAuthenticateResponse answer = (SaslAuthenticateResponse) response;
                    if (answer.errorCode() != Errors.NONE.code()) {
                        fail(Errors.forCode(answer.errorCode()) + ": " + answer.errorMessage());
                        return;
                    }
                    Optional<byte[]> next;
                    try {
                        next = mechanism.evaluate(answer.authBytes());
                    } catch (NodeAuthenticationException e) {
                        fail(e.getMessage());
                        return;
                    }
                    next.ifPresentOrElse(this::step, () -> done.complete(null));
                });
    }

    private void fail(String why) {
        done.completeExceptionally(new NodeAuthenticationException(
                "SASL " + credentials.mechanism() + " authentication as " + credentials.username() + " failed: " + why));
    }
}
