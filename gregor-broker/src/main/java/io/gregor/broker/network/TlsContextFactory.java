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
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context of a broker's SSL listeners, from Kafka's ssl.* settings: the key store with the
 * broker's key and certificate chain, the trust store client certificates are checked against,
 * whether clients must show one, and the TLS versions accepted. The JDK's TLS implementation.
 */
public final class TlsContextFactory {
    private TlsContextFactory() {
    }

    /** @throws ConfigException naming the setting when a store cannot be read or a password is wrong */
    public static SslContext forServer(TlsSettings settings) {
        Path keyStorePath = settings.keyStore().orElseThrow(() -> new ConfigException(
                BrokerConfig.SSL_KEYSTORE_LOCATION, "", "an SSL listener needs a key store"));
        KeyStore keyStore = load(BrokerConfig.SSL_KEYSTORE_LOCATION, keyStorePath, settings.keyStoreType(),
                settings.keyStorePassword());
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, settings.keyPassword().or(settings::keyStorePassword).orElse("").toCharArray());
            SslContextBuilder builder = SslContextBuilder.forServer(keys)
                    .sslProvider(SslProvider.JDK)
                    .protocols(settings.enabledProtocols())
                    .clientAuth(clientAuth(settings.clientAuth()));
            if (settings.trustStore().isPresent()) {
                KeyStore trusted = load(BrokerConfig.SSL_TRUSTSTORE_LOCATION, settings.trustStore().get(),
                        settings.trustStoreType(), settings.trustStorePassword());
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
                builder.trustManager(trust);
            }
            return builder.build();
        } catch (GeneralSecurityException e) {
            throw new ConfigException(BrokerConfig.SSL_KEY_PASSWORD, "",
                    "cannot take the private key from " + keyStorePath + ": " + e.getMessage());
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException(BrokerConfig.SSL_ENABLED_PROTOCOLS, String.join(",", settings.enabledProtocols()),
                    "cannot set up TLS: " + e.getMessage());
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
