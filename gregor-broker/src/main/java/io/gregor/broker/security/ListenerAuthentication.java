package io.gregor.broker.security;

import io.gregor.broker.config.SaslSettings;
import io.gregor.metadata.image.ScramMechanism;
import io.gregor.protocol.config.ConfigException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one SASL listener asks of its clients: the mechanisms it offers, the PLAIN users when PLAIN
 * is among them, where SCRAM credentials are looked up, and how long a connection that failed to
 * authenticate is held before it is closed. Immutable; shared by the listener's connections.
 */
public final class ListenerAuthentication {
    private static final String JAAS_SECTION = "KafkaServer";

    private final List<String> mechanisms;
    private final Optional<PlainUsers> plainUsers;
    private final ScramCredentialLookup scramCredentials;
    private final long failedAuthenticationDelayMs;
    private final long reauthenticationMs;
    private final SecureRandom random = new SecureRandom();

    ListenerAuthentication(List<String> mechanisms, Optional<PlainUsers> plainUsers,
                           ScramCredentialLookup scramCredentials, long failedAuthenticationDelayMs,
                           long reauthenticationMs) {
        this.mechanisms = List.copyOf(mechanisms);
        this.plainUsers = plainUsers;
        this.scramCredentials = scramCredentials;
        this.failedAuthenticationDelayMs = failedAuthenticationDelayMs;
        this.reauthenticationMs = reauthenticationMs;
    }

    /**
     * The authentication of one listener. PLAIN's users come, as for Kafka's brokers, from the
     * listener's {@code listener.name.LISTENER.plain.sasl.jaas.config}, else from the
     * {@code listener.KafkaServer} or {@code KafkaServer} section of the JAAS file.
     *
     * @throws ConfigException naming the setting when PLAIN is offered without users, or a JAAS
     *     configuration is malformed
     */
    public static ListenerAuthentication forListener(String listenerName, SaslSettings settings,
                                                     ScramCredentialLookup scramCredentials) {
        Optional<PlainUsers> plainUsers = Optional.empty();
        if (settings.enabledMechanisms().contains(PlainExchange.MECHANISM)) {
            String key = SaslSettings.jaasConfigKey(listenerName, PlainExchange.MECHANISM);
            JaasEntry entry = settings.jaasConfig(listenerName, PlainExchange.MECHANISM)
                    .map(text -> JaasEntry.parse(key, text))
                    .or(() -> JaasEntry.fromJaasFile(listenerName.toLowerCase(Locale.ROOT) + "." + JAAS_SECTION))
                    .or(() -> JaasEntry.fromJaasFile(JAAS_SECTION))
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
        return new ListenerAuthentication(settings.enabledMechanisms(), plainUsers, scramCredentials,
                settings.failedAuthenticationDelayMs(), settings.reauthenticationMs());
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
        return ScramMechanism.forMechanismName(mechanism)
                .map(scram -> new ScramExchange(scram, scramCredentials, random));
    }
}
