package io.gregor.broker.network;

import io.gregor.broker.config.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * What the key store and trust store files of a listener held when its TLS context was built (a
 * SHA-256 of each), so that a store rewritten at the same path is told apart from the one in
 * force: operators and certificate managers renew a certificate in place and then ask for a reload
 * by setting the same location again, as Kafka allows (KAFKA-7429). A digest rather than the
 * modification time, which a copy can keep and a coarse clock can leave unchanged.
 */
record StoreFiles(byte[] keyStore, byte[] trustStore) {
    private static final byte[] NONE = new byte[0];

    /** The digests of the stores these settings name now; a store that cannot be read counts as changed. */
    static StoreFiles of(TlsSettings settings) {
        return new StoreFiles(digest(settings.keyStore()), digest(settings.trustStore()));
    }

    boolean sameAs(StoreFiles other) {
        return Arrays.equals(keyStore, other.keyStore) && Arrays.equals(trustStore, other.trustStore);
    }

    private static byte[] digest(Optional<Path> file) {
        if (file.isEmpty()) {
            return NONE;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file.get()));
        } catch (IOException e) {
            // unreadable: differs from any store that was read, so a reload is tried and reports why
            return new byte[]{1};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
