package io.gregor.broker.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The SASL settings of a broker's SASL_PLAINTEXT and SASL_SSL listeners, as Kafka names them.
 *
 * @param enabledMechanisms sasl.enabled.mechanisms, each one Gregor supports when a SASL listener exists
 * @param listenerJaasConfigs listener.name.LISTENER.MECHANISM.sasl.jaas.config values, by listener and
 *     mechanism (both upper case)
 * @param failedAuthenticationDelayMs connection.failed.authentication.delay.ms
 * @param reauthenticationMs connections.max.reauth.ms: 0, or how long a session lasts before the
 *     client must re-authenticate (KIP-368)
 * @param oauthBearer how OAUTHBEARER tokens are checked, when the listener offers it
 */
public record SaslSettings(List<String> enabledMechanisms, Map<String, Map<String, String>> listenerJaasConfigs,
                           int failedAuthenticationDelayMs, long reauthenticationMs, OAuthBearerSettings oauthBearer) {
    public SaslSettings {
        enabledMechanisms = List.copyOf(enabledMechanisms);
        listenerJaasConfigs = Map.copyOf(listenerJaasConfigs);
    }

    /** Settings of a listener whose OAUTHBEARER, if offered, takes unsecured tokens, as Kafka's default. */
    public SaslSettings(List<String> enabledMechanisms, Map<String, Map<String, String>> listenerJaasConfigs,
                        int failedAuthenticationDelayMs, long reauthenticationMs) {
        this(enabledMechanisms, listenerJaasConfigs, failedAuthenticationDelayMs, reauthenticationMs,
                OAuthBearerSettings.defaults());
    }

    /** The JAAS configuration given for one mechanism of one listener. */
    public Optional<String> jaasConfig(String listenerName, String mechanism) {
        return Optional.ofNullable(listenerJaasConfigs.getOrDefault(listenerName.toUpperCase(Locale.ROOT), Map.of())
                .get(mechanism.toUpperCase(Locale.ROOT)));
    }

    /** The property that holds {@link #jaasConfig}, for messages. */
    public static String jaasConfigKey(String listenerName, String mechanism) {
        return "listener.name." + listenerName.toLowerCase(Locale.ROOT) + "." + mechanism.toLowerCase(Locale.ROOT)
                + ".sasl.jaas.config";
    }
}
