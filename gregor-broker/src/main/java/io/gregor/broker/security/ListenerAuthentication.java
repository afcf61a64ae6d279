package io.gregor.broker.security;

import io.gregor.broker.config.SaslSettings;
import io.gregor.metadata.image.ScramMechanism;
import io.gregor.protocol.config.ConfigException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one SASL listener asks of its clients: the mechanisms it offers, the PLAIN users when PLAIN
 * is among them, where SCRAM credentials are looked up, how OAUTHBEARER tokens are checked when
 * OAUTHBEARER is among them, and how long a connection that failed to authenticate is held before
 * it is closed. Immutable; shared by the listener's connections. Closing it stops the reading of
 * an identity provider's keys.
 */
public final class ListenerAuthentication implements AutoCloseable {
    private static final String JAAS_SECTION = "KafkaServer";

    private final List<String> mechanisms;
    private final Optional<PlainUsers> plainUsers;
    private final ScramCredentialLookup scramCredentials;
    private final Optional<TokenValidator> tokenValidator;
    private final long failedAuthenticationDelayMs;
    private final long reauthenticationMs;
    private final SecureRandom random = new SecureRandom();

    ListenerAuthentication(List<String> mechanisms, Optional<PlainUsers> plainUsers,
                           ScramCredentialLookup scramCredentials, Optional<TokenValidator> tokenValidator,
                           long failedAuthenticationDelayMs, long reauthenticationMs) {
        this.mechanisms = List.copyOf(mechanisms);
        this.plainUsers = plainUsers;
        this.scramCredentials = scramCredentials;
        this.tokenValidator = tokenValidator;
        this.failedAuthenticationDelayMs = failedAuthenticationDelayMs;
        this.reauthenticationMs = reauthenticationMs;
    }

    /**
     * The authentication of one listener. PLAIN's users come, as for Kafka's brokers, from the
     * listener's {@code listener.name.LISTENER.plain.sasl.jaas.config}, else from the
     * {@code listener.KafkaServer} or {@code KafkaServer} section of the JAAS file; so do the
     * options of OAUTHBEARER's unsecured tokens. Signed OAUTHBEARER tokens are checked against the
     * identity provider's keys, read now and then again in the background.
     *
     * @throws ConfigException naming the setting when PLAIN is offered without users, a JAAS
     *     configuration is malformed, or the keys that sign OAUTHBEARER tokens cannot be read
     */
    public static ListenerAuthentication forListener(String listenerName, SaslSettings settings,
                                                     ScramCredentialLookup scramCredentials) {
        Optional<PlainUsers> plainUsers = Optional.empty();
        if (settings.enabledMechanisms().contains(PlainExchange.MECHANISM)) {
            String key = SaslSettings.jaasConfigKey(listenerName, PlainExchange.MECHANISM);
            JaasEntry entry = jaasEntry(listenerName, PlainExchange.MECHANISM, settings)
                    .orElseThrow(() -> new ConfigException(key, "", "listener " + listenerName
                            + " offers PLAIN, whose users are set here (user_NAME=\"password\") or in the "
                            + JAAS_SECTION + " section of the JAAS file named by -D" + JaasEntry.JAAS_FILE_PROPERTY));
            PlainUsers users = PlainUsers.fromJaasOptions(entry.options());
            if (users.names().isEmpty()) {
                throw new ConfigException(key, "(hidden)", "the PLAIN login module of listener " + listenerName
                        + " names no users: add user_NAME=\"password\" options");
            }
            plainUsers = Optional.of(users);
        }
        Optional<TokenValidator> tokenValidator = Optional.empty();
        if (settings.enabledMechanisms().contains(OAuthBearerExchange.MECHANISM)) {
            tokenValidator = Optional.of(settings.oauthBearer().signedTokens()
                    ? JwksTokenValidator.start(settings.oauthBearer(), listenerName)
                    : UnsecuredTokenValidator.fromJaasOptions(
                            SaslSettings.jaasConfigKey(listenerName, OAuthBearerExchange.MECHANISM),
                            jaasEntry(listenerName, OAuthBearerExchange.MECHANISM, settings)
                                    .map(JaasEntry::options).orElse(Map.of())));
        }
        return new ListenerAuthentication(settings.enabledMechanisms(), plainUsers, scramCredentials, tokenValidator,
                settings.failedAuthenticationDelayMs(), settings.reauthenticationMs());
    }

    /**
     * The JAAS entry of a mechanism of a listener, as Kafka's brokers look for it: the listener's
     * {@code listener.name.LISTENER.MECHANISM.sasl.jaas.config}, else the {@code listener.KafkaServer}
     * or {@code KafkaServer} section of the JAAS file.
     */
    private static Optional<JaasEntry> jaasEntry(String listenerName, String mechanism, SaslSettings settings) {
        String key = SaslSettings.jaasConfigKey(listenerName, mechanism);
        return settings.jaasConfig(listenerName, mechanism)
                .map(text -> JaasEntry.parse(key, text))
                .or(() -> JaasEntry.fromJaasFile(listenerName.toLowerCase(Locale.ROOT) + "." + JAAS_SECTION))
                .or(() -> JaasEntry.fromJaasFile(JAAS_SECTION));
    }

    /** The mechanisms offered, as the SaslHandshake response lists them. */
    public List<String> mechanisms() {
        return mechanisms;
    }

    public long failedAuthenticationDelayMs() {
        return failedAuthenticationDelayMs;
    }

    /** connections.max.reauth.ms: how long a session lasts before the client must re-authenticate; 0 for ever. */
    public long reauthenticationMs() {
        return reauthenticationMs;
    }

    /** A new exchange of the named mechanism, or empty when this listener does not offer it. */
    public Optional<SaslServerExchange> newExchange(String mechanism) {
        if (!mechanisms.contains(mechanism)) {
            return Optional.empty();
        }
        if (mechanism.equals(PlainExchange.MECHANISM)) {
            return Optional.of(new PlainExchange(plainUsers.orElseThrow()));
        }
        if (mechanism.equals(OAuthBearerExchange.MECHANISM)) {
            return Optional.of(new OAuthBearerExchange(tokenValidator.orElseThrow()));
        }
        return ScramMechanism.forMechanismName(mechanism)
                .map(scram -> new ScramExchange(scram, scramCredentials, random, System::currentTimeMillis));
    }

    /** Stops reading the identity provider's keys, if this listener does. */
    @Override
    public void close() {
        tokenValidator.ifPresent(TokenValidator::close);
    }
}
