package io.gregor.broker.network;

import io.gregor.broker.config.BrokerConfig;
import io.gregor.broker.config.TlsSettings;
import io.gregor.protocol.config.ConfigException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts from Kafka's ssl.* settings of a listener: the key store with the node's key and
 * certificate chain, the trust store the other side's certificate is checked against, whether
 * clients must show one, and the TLS versions accepted. The server side serves SSL and SASL_SSL
 * listeners; the client side is how this node connects to the other nodes' inter-broker listener.
 * The JDK's TLS implementation.
 *
 * <p>Each method takes {@code keyName}, which turns an ssl.* key into the key the operator set for
 * the listener (its listener.name.LISTENER.ssl.* form, when set), so that errors name it.
 */
public final class TlsContextFactory {
    private TlsContextFactory() {
    }

    /** @throws ConfigException naming the setting when a store cannot be read or a password is wrong */
    public static SslContext forServer(TlsSettings settings, UnaryOperator<String> keyName) {
        SslContextBuilder builder = SslContextBuilder.forServer(keyManagers(settings, keyName)
                        .orElseThrow(() -> new ConfigException(keyName.apply(BrokerConfig.SSL_KEYSTORE_LOCATION), "",
                                "an SSL listener needs a key store")))
                .clientAuth(clientAuth(settings.clientAuth()));
        settings.trustStore().ifPresent(ignored -> builder.trustManager(trustManagers(settings, keyName)));
        return build(builder, settings, keyName);
    }

    /**
     * The client side of a connection to another node's listener with these settings: the trust
     * store (else the JVM's) vouches for the other node's certificate, and the key store, when
     * set, gives this node's certificate to a listener that asks for one (ssl.client.auth).
     * Whether the certificate must name the host is up to the handler ({@code verifyHostname}).
     */
    public static SslContext forClient(TlsSettings settings, UnaryOperator<String> keyName) {
        SslContextBuilder builder = SslContextBuilder.forClient().trustManager(trustManagers(settings, keyName));
        keyManagers(settings, keyName).ifPresent(builder::keyManager);
        return build(builder, settings, keyName);
    }

    /** The key store's keys, or empty without a key store. */
    public static Optional<KeyManagerFactory> keyManagers(TlsSettings settings, UnaryOperator<String> keyName) {
        if (settings.keyStore().isEmpty()) {
            return Optional.empty();
        }
        Path keyStorePath = settings.keyStore().get();
        KeyStore keyStore = load(keyName.apply(BrokerConfig.SSL_KEYSTORE_LOCATION), keyStorePath,
                settings.keyStoreType(), settings.keyStorePassword());
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, settings.keyPassword().or(settings::keyStorePassword).orElse("").toCharArray());
            return Optional.of(keys);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(keyName.apply(BrokerConfig.SSL_KEY_PASSWORD), "",
                    "cannot take the private key from " + keyStorePath + ": " + e.getMessage());
        }
    }

    /** The certificate of the key store's (first) private key, or empty without a key store or key. */
    public static Optional<X509Certificate> certificate(TlsSettings settings, UnaryOperator<String> keyName) {
        if (settings.keyStore().isEmpty()) {
            return Optional.empty();
        }
        KeyStore keyStore = load(keyName.apply(BrokerConfig.SSL_KEYSTORE_LOCATION), settings.keyStore().get(),
                settings.keyStoreType(), settings.keyStorePassword());
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                if (keyStore.isKeyEntry(alias) && keyStore.getCertificate(alias) instanceof X509Certificate x509) {
                    return Optional.of(x509);
                }
            }
            return Optional.empty();
        } catch (KeyStoreException e) {
            throw new ConfigException(keyName.apply(BrokerConfig.SSL_KEYSTORE_LOCATION), settings.keyStore().get(),
                    "cannot read its certificate: " + e.getMessage());
        }
    }

    /** The trust store's certificates, or the JVM's default trust store when none is set. */
    public static TrustManagerFactory trustManagers(TlsSettings settings, UnaryOperator<String> keyName) {
        KeyStore trusted = settings.trustStore().map(path -> load(keyName.apply(BrokerConfig.SSL_TRUSTSTORE_LOCATION),
                path, settings.trustStoreType(), settings.trustStorePassword())).orElse(null);
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            return trust;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(keyName.apply(BrokerConfig.SSL_TRUSTSTORE_LOCATION),
                    settings.trustStore().map(Path::toString).orElse("(the JVM's)"),
                    "cannot use it as a trust store: " + e.getMessage());
        }
    }

    private static SslContext build(SslContextBuilder builder, TlsSettings settings, UnaryOperator<String> keyName) {
        try {
            return builder.sslProvider(SslProvider.JDK).protocols(settings.enabledProtocols()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException(keyName.apply(BrokerConfig.SSL_ENABLED_PROTOCOLS),
                    String.join(",", settings.enabledProtocols()), "cannot set up TLS: " + e.getMessage());
        }
    }

    private static KeyStore load(String key, Path path, String type, Optional<String> password) {
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(key, path.toString(), "no such file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.map(String::toCharArray).orElse(null));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key, path.toString(), "cannot read it as a " + type + " store: " + e.getMessage());
        }
    }

    private static ClientAuth clientAuth(String setting) {
        return switch (setting) {
            case "required" -> ClientAuth.REQUIRE;
            case "requested" -> ClientAuth.OPTIONAL;
            default -> ClientAuth.NONE;
        };
    }
}
