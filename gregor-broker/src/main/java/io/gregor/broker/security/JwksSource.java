package io.gregor.broker.security;

import io.gregor.broker.config.OAuthBearerSettings;
import io.gregor.protocol.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of an identity provider, read from its JWKS (RFC 7517) at an https://, http://
 * or file: URL: once at start, which fails if they cannot be read, then again every
 * {@code sasl.oauthbearer.jwks.endpoint.refresh.ms} on a thread of its own, so that validating a
 * token never waits for the network. A failed read keeps the keys known so far and is retried
 * after {@code retry.backoff.ms}, doubled up to {@code retry.backoff.max.ms}. A token signed with
 * a key not known yet brings the next read forward, at most once per {@link #EXPEDITED_READ_INTERVAL_MS}.
 */
final class JwksSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JwksSource.class);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    static final long EXPEDITED_READ_INTERVAL_MS = 10_000;

    private final URI url;
    private final String urlKey;
    private final OAuthBearerSettings settings;
    private final HttpClient http;
    private final ScheduledExecutorService reader;
    /** When the last read brought forward by {@link #keyMissing} started (nanoTime). */
    private final AtomicLong lastExpeditedRead;
    private volatile List<JsonWebKey> keys;

    private JwksSource(URI url, OAuthBearerSettings settings, String listenerName) {
        this.url = url;
        this.urlKey = settings.jwksEndpointUrlKey();
        this.settings = settings;
        this.lastExpeditedRead = new AtomicLong(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(EXPEDITED_READ_INTERVAL_MS) - 1);
        this.http = url.getScheme().equals("file") ? null
                : HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        this.reader = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jwks-reader-" + listenerName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Reads the keys a first time and schedules the next reads.
     *
     * @throws ConfigException naming the URL's key when the URL is not one Kafka 4 would read (not
     *     https, http or file, or not in the allowed URLs) or the keys cannot be read
     */
    static JwksSource start(OAuthBearerSettings settings, String listenerName) {
        String text = settings.jwksEndpointUrl().orElseThrow();
        URI url = checkedUrl(settings.jwksEndpointUrlKey(), text);
        JwksSource source = new JwksSource(url, settings, listenerName);
        try {
            source.keys = source.read();
        } catch (IOException | JoseException e) {
            source.close();
            throw new ConfigException(settings.jwksEndpointUrlKey(), text, "cannot read the JWKS: " + e.getMessage());
        }
        source.scheduleRead(settings.jwksRefreshMs());
        return source;
    }

    /** As Kafka 4 asks: a URL OAUTHBEARER reads must be listed in -Dorg.apache.kafka.sasl.oauthbearer.allowed.urls. */
    private static URI checkedUrl(String key, String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(key, text, "not a URL: " + e.getMessage());
        }
        if (url.getScheme() == null || !Set.of("https", "http", "file").contains(url.getScheme())) {
            throw new ConfigException(key, text, "the JWKS is read from an https://, http:// or file: URL");
        }
        Set<String> allowed = Arrays.stream(System.getProperty(OAuthBearerSettings.ALLOWED_URLS_PROPERTY, "")
                .split(",")).map(String::trim).filter(u -> !u.isEmpty()).collect(Collectors.toSet());
        if (!allowed.contains(text)) {
            throw new ConfigException(key, text, "not among the URLs allowed by the JVM property -D"
                    + OAuthBearerSettings.ALLOWED_URLS_PROPERTY + " (comma-separated; as for Kafka 4, none when unset)");
        }
        return url;
    }

    /** The keys as last read. */
    List<JsonWebKey> keys() {
        return keys;
    }

    /** A token names a key not among {@link #keys()}: read the JWKS again soon, in case the provider added it. */
    void keyMissing() {
        long now = System.nanoTime();
        long last = lastExpeditedRead.get();
        if (now - last > TimeUnit.MILLISECONDS.toNanos(EXPEDITED_READ_INTERVAL_MS)
                && lastExpeditedRead.compareAndSet(last, now)) {
            reader.execute(() -> {
                try {
                    keys = read();
                } catch (IOException | JoseException e) {
                    LOG.warn("Cannot read the JWKS at {} ({}), asked for by a token with an unknown key: {}", url,
                            urlKey, e.getMessage());
                }
            });
        }
    }

    private void scheduleRead(long delayMs) {
        reader.schedule(() -> readAgain(settings.jwksRetryBackoffMs()), delayMs, TimeUnit.MILLISECONDS);
    }

    /** A scheduled read; after a failure the next one comes after {@code backoffMs}, doubled each time. */
    private void readAgain(long backoffMs) {
        try {
            keys = read();
            scheduleRead(settings.jwksRefreshMs());
        } catch (IOException | JoseException e) {
            LOG.warn("Cannot read the JWKS at {} ({}), keeping the {} keys read before; trying again in {} ms: {}",
                    url, urlKey, keys.size(), backoffMs, e.getMessage());
            long next = Math.min(backoffMs * 2, settings.jwksRetryBackoffMaxMs());
            reader.schedule(() -> readAgain(Math.max(next, 1)), backoffMs, TimeUnit.MILLISECONDS);
        }
    }

    private List<JsonWebKey> read() throws IOException, JoseException {
        String json;
        if (http == null) {
            json = Files.readString(Path.of(url));
        } else {
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(url).timeout(HTTP_TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (response.statusCode() != 200) {
                throw new IOException("HTTP status " + response.statusCode());
            }
            json = response.body();
        }
        List<JsonWebKey> read = new JsonWebKeySet(json).getJsonWebKeys();
        if (read.isEmpty()) {
            throw new IOException("the JWKS has no keys");
        }
        return List.copyOf(read);
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
