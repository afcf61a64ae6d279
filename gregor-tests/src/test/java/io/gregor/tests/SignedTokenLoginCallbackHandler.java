package io.gregor.tests;

import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.jose4j.lang.JoseException;

/**
 * A Kafka client's login callback handler (sasl.login.callback.handler.class) that gets its
 * tokens from the {@link TestIdentityProvider}, as Kafka's OAuthBearerLoginCallbackHandler gets
 * them from a real provider's token endpoint. The OAuthBearerLoginModule options say which token:
 * {@code sub}, and optionally {@code aud}, {@code iss}, {@code lifetimeSeconds} and
 * {@code trusted="false"} for one signed with a key the broker does not know.
 */
public final class SignedTokenLoginCallbackHandler implements AuthenticateCallbackHandler {
    private Map<String, ?> options;

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
        options = jaasConfigEntries.get(0).getOptions();
    }

    @Override
    public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (!(callback instanceof OAuthBearerTokenCallback tokenCallback)) {
                throw new UnsupportedCallbackException(callback);
            }
            String subject = option("sub", null);
            long lifetimeSeconds = Long.parseLong(option("lifetimeSeconds", "3600"));
            try {
                String value = TestIdentityProvider.token(subject, option("aud", TestIdentityProvider.AUDIENCE),
                        option("iss", TestIdentityProvider.ISSUER), lifetimeSeconds,
                        Boolean.parseBoolean(option("trusted", "true")));
                tokenCallback.token(new Token(value, subject, System.currentTimeMillis() + lifetimeSeconds * 1000));
            } catch (JoseException e) {
                tokenCallback.error("invalid_request", e.getMessage(), null);
            }
        }
    }

    private String option(String name, String fallback) {
        Object value = options.get(name);
        return value == null ? fallback : value.toString();
    }

    @Override
    public void close() {
    }

    private record Token(String value, String principalName, long lifetimeMs) implements OAuthBearerToken {
        @Override
        public Set<String> scope() {
            return Set.of("kafka");
        }

        @Override
        public Long startTimeMs() {
            return null;
        }
    }
}
