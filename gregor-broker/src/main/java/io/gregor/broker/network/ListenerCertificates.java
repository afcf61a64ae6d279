package io.gregor.broker.network;

import io.gregor.broker.config.BrokerConfig;
import io.gregor.broker.config.DynamicBrokerConfig;
import io.gregor.broker.config.Listener;
import io.gregor.broker.config.TlsSettings;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.MetadataPublisher;
import io.gregor.protocol.config.ConfigException;
import io.netty.handler.ssl.SslContext;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS contexts of this broker's SSL and SASL_SSL listeners, rebuilt when the dynamic broker
 * configs give a listener other key or trust store settings ({@code listener.name.L.ssl.*}, KIP-226
 * certificate rotation): new connections get the new certificate, open ones keep theirs. A change
 * is checked before the controller takes it ({@link #check}): the stores load with their passwords
 * and the new certificate has the subject and subject alternative names of the one in force, as
 * Kafka requires unless ssl.allow.dn.changes or ssl.allow.san.changes say otherwise. Should a
 * committed change still not load (the file changed since), the listener keeps its certificate and
 * the error, which names the key, is logged.
 *
 * <p>A store rewritten at the same path (a renewed certificate) is taken when the location is set
 * again, to the same value: the controller records every change of broker configs, changed or not,
 * and a listener whose settings are the same but whose store files are not ({@link StoreFiles}) is
 * checked and rebuilt like one given a new path, as Kafka does (KAFKA-7429).
 *
 * <p>Thread-safety: contexts are swapped atomically; {@link #onMetadataUpdate} runs on the thread
 * that publishes metadata, where reading a key store (a few milliseconds) happens only when this
 * broker's configs changed.
 */
public final class ListenerCertificates implements MetadataPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerCertificates.class);

    private final DynamicBrokerConfig config;
    private final Map<String, ReloadableSslContext> contexts = new LinkedHashMap<>();
    /** What each listener's context was built from. */
    private final Map<String, InForce> inForce = new ConcurrentHashMap<>();

    /**
     * A listener's TLS context's sources: its settings, what its store files held, and the
     * certificate it presents, which a store rewritten in place no longer shows.
     */
    private record InForce(TlsSettings settings, StoreFiles files, Optional<X509Certificate> certificate) {
    }

    /** @param initial the contexts built from server.properties at start, by listener name */
    public ListenerCertificates(DynamicBrokerConfig config, Map<String, SslContext> initial) {
        this.config = config;
        BrokerConfig staticConfig = config.staticConfig();
        initial.forEach((listener, context) -> {
            contexts.put(listener, new ReloadableSslContext(context));
            TlsSettings settings = staticConfig.tlsSettings(listener);
            inForce.put(listener, new InForce(settings, StoreFiles.of(settings),
                    TlsContextFactory.certificate(settings, key -> staticConfig.listenerKey(listener, key))));
        });
    }

    /** The contexts the socket server's listeners use, by listener name. */
    public Map<String, SslContext> contexts() {
        return Map.copyOf(contexts);
    }

    /** Takes the listener settings of this image's dynamic broker configs (at start, after the metadata replay). */
    public void load(MetadataImage image) {
        apply(config.effective(image));
    }

    @Override
    public void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage) {
        if (delta.changedConfigs().stream().anyMatch(config::concerns)) {
            load(newImage);
        }
    }

    /**
     * Why this broker's listeners could not take {@code proposed}: a store that does not load, a
     * certificate with another subject or other alternative names, a dynamic listener key naming a
     * listener without TLS. Empty if they can.
     *
     * @param keys the dynamic config names of the change, to find listener keys that apply nowhere
     */
    public Optional<String> check(BrokerConfig proposed, Collection<String> keys) {
        for (String key : keys) {
            Optional<String> setting = BrokerConfig.dynamicListenerKey(key);
            if (setting.isPresent() && !contexts.containsKey(listenerOf(key, setting.get()))) {
                return Optional.of("Invalid dynamic config " + key + ": broker " + proposed.nodeId()
                        + " has no SSL or SASL_SSL listener " + listenerOf(key, setting.get()));
            }
        }
        for (String listener : contexts.keySet()) {
            TlsSettings next = proposed.tlsSettings(listener);
            if (inForce(listener, next)) {
                continue;
            }
            UnaryOperator<String> keyName = key -> proposed.listenerKey(listener, key);
            try {
                TlsContextFactory.forServer(next, keyName);
                Optional<String> changed = identityChange(listener, next, keyName);
                if (changed.isPresent()) {
                    return changed;
                }
            } catch (ConfigException e) {
                return Optional.of(e.getMessage());
            }
        }
        return Optional.empty();
    }

    private void apply(BrokerConfig effective) {
        contexts.forEach((listener, context) -> {
            TlsSettings next = effective.tlsSettings(listener);
            if (inForce(listener, next)) {
                return;
            }
            UnaryOperator<String> keyName = key -> effective.listenerKey(listener, key);
            try {
                // read before the context is built: a store rewritten meanwhile then differs next time
                StoreFiles files = StoreFiles.of(next);
                context.replace(TlsContextFactory.forServer(next, keyName));
                Optional<X509Certificate> certificate = TlsContextFactory.certificate(next, keyName);
                inForce.put(listener, new InForce(next, files, certificate));
                LOG.info("Listener {} now presents the certificate of {}, serial {} (key store {})", listener,
                        certificate.map(c -> c.getSubjectX500Principal().getName()).orElse("(none)"),
                        certificate.map(c -> c.getSerialNumber().toString(16)).orElse("(none)"),
                        next.keyStore().map(Object::toString).orElse("(none)"));
            } catch (ConfigException e) {
                LOG.error("Listener {} keeps its certificate: {}", listener, e.getMessage());
            }
        });
    }

    /** Whether the listener's context was built from these settings and from its store files as they are now. */
    private boolean inForce(String listener, TlsSettings settings) {
        InForce current = inForce.get(listener);
        return current.settings().equals(settings) && current.files().sameAs(StoreFiles.of(settings));
    }

    /**
     * Kafka's check: the new certificate names the same subject and alternative names, unless
     * ssl.allow.dn.changes or ssl.allow.san.changes let it differ (KIP-978).
     */
    private Optional<String> identityChange(String listener, TlsSettings next, UnaryOperator<String> keyName) {
        Optional<X509Certificate> before = inForce.get(listener).certificate();
        Optional<X509Certificate> after = TlsContextFactory.certificate(next, keyName);
        if (before.isEmpty() || after.isEmpty()) {
            return Optional.empty();
        }
        String key = keyName.apply(BrokerConfig.SSL_KEYSTORE_LOCATION);
        if (!next.allowSubjectChanges()
                && !before.get().getSubjectX500Principal().equals(after.get().getSubjectX500Principal())) {
            return Optional.of("Invalid value " + next.keyStore().orElseThrow() + " for configuration " + key
                    + ": Keystore DistinguishedName does not match: existing={"
                    + before.get().getSubjectX500Principal().getName() + "}, new={"
                    + after.get().getSubjectX500Principal().getName() + "}");
        }
        if (!next.allowAlternativeNameChanges()
                && !Objects.equals(alternativeNames(before.get()), alternativeNames(after.get()))) {
            return Optional.of("Invalid value " + next.keyStore().orElseThrow() + " for configuration " + key
                    + ": Keystore SubjectAltNames do not match: existing=" + alternativeNames(before.get())
                    + ", new=" + alternativeNames(after.get()));
        }
        return Optional.empty();
    }

    private static Set<List<?>> alternativeNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? Set.of() : new HashSet<>(names);
        } catch (CertificateParsingException e) {
            return Set.of();
        }
    }

    /** The listener a listener.name.LISTENER.KEY name is for, upper case as listener names are. */
    private static String listenerOf(String key, String setting) {
        String prefix = "listener.name.";
        return key.substring(prefix.length(), key.length() - setting.length() - 1).toUpperCase(java.util.Locale.ROOT);
    }
}
