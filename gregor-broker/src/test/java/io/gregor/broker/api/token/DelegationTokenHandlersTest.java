package io.gregor.broker.api.token;

import static io.gregor.broker.api.admin.MetadataFixture.overTheWire;
import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.ConnectionThrottle;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.admin.MetadataFixture;
import io.gregor.broker.security.Authorizer;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.CreateDelegationTokenRequest;
import io.gregor.protocol.message.CreateDelegationTokenResponse;
import io.gregor.protocol.message.DescribeDelegationTokenRequest;
import io.gregor.protocol.message.ExpireDelegationTokenRequest;
import io.gregor.protocol.message.RenewDelegationTokenRequest;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refusals that come before any token is looked at, on a controller without a secret key:
 * Kafka's order, the connection first (DELEGATION_TOKEN_REQUEST_NOT_ALLOWED), then
 * DELEGATION_TOKEN_AUTH_DISABLED. The rules of tokens themselves are DelegationTokenControlTest's
 * and DelegationTokensTest's.
 */
class DelegationTokenHandlersTest {
    @TempDir
    Path dataDir;
    private MetadataFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MetadataFixture(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void withoutASecretKeyEveryTokenApiIsDisabledForAnAuthenticatedClient() {
        RequestContext alice = context(ApiKey.CREATE_DELEGATION_TOKEN, "User:alice", false);

        CreateDelegationTokenResponse created = overTheWire(new CreateDelegationTokenHandler(fixture.controller())
                .handle(alice, new CreateDelegationTokenRequest().setMaxLifetimeMs(-1)).join(), 3);
        assertThat(created.errorCode()).isEqualTo(Errors.DELEGATION_TOKEN_AUTH_DISABLED.code());
        assertThat(created.principalName()).isEqualTo("alice");
        assertThat(created.tokenRequesterPrincipalName()).isEqualTo("alice");
        assertThat(new RenewDelegationTokenHandler(fixture.controller())
                .handle(alice, new RenewDelegationTokenRequest().setHmac(new byte[64])).join().errorCode())
                .isEqualTo(Errors.DELEGATION_TOKEN_AUTH_DISABLED.code());
        assertThat(new ExpireDelegationTokenHandler(fixture.controller())
                .handle(alice, new ExpireDelegationTokenRequest().setHmac(new byte[64])).join().errorCode())
                .isEqualTo(Errors.DELEGATION_TOKEN_AUTH_DISABLED.code());
        assertThat(new DescribeDelegationTokenHandler(fixture.controller(), Optional.empty())
                .handle(alice, new DescribeDelegationTokenRequest().setOwners(null)).join().errorCode())
                .isEqualTo(Errors.DELEGATION_TOKEN_AUTH_DISABLED.code());
    }

    @Test
    void anAnonymousOrTokenAuthenticatedClientIsRefusedFirst() {
        for (RequestContext refused : new RequestContext[] {context(ApiKey.CREATE_DELEGATION_TOKEN,
                RequestContext.ANONYMOUS, false), context(ApiKey.CREATE_DELEGATION_TOKEN, "User:alice", true)}) {
            assertThat(new CreateDelegationTokenHandler(fixture.controller())
                    .handle(refused, new CreateDelegationTokenRequest()).join().errorCode())
                    .isEqualTo(Errors.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED.code());
            assertThat(new DescribeDelegationTokenHandler(fixture.controller(), Optional.empty())
                    .handle(refused, new DescribeDelegationTokenRequest()).join().errorCode())
                    .isEqualTo(Errors.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED.code());
        }
    }

    private static RequestContext context(ApiKey key, String principal, boolean tokenAuthenticated) {
        return new RequestContext(key.id(), (short) 3, 7, "test-client", "conn-1", InetAddress.getLoopbackAddress(),
                "SASL_PLAINTEXT", principal, tokenAuthenticated, Authorizer.ALLOW_ALL, 0, ConnectionThrottle.NONE);
    }
}
