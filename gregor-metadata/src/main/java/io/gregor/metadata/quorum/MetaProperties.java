package io.gregor.metadata.quorum;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * The identity of a node's data directory: which cluster it belongs to and which node owns it.
 * Written as {@code <log dir>/meta.properties} at first start, checked at every later start, so
 * that a directory is never silently reused by another node or mixed into another cluster.
 *
 * <p>File keys, as in Kafka: {@code version=1}, {@code cluster.id}, {@code node.id}.
 */
public record MetaProperties(String clusterId, int nodeId) {
    public static final String FILE_NAME = "meta.properties";

    private static final String VERSION_KEY = "version";
    private static final String CLUSTER_ID_KEY = "cluster.id";
    private static final String NODE_ID_KEY = "node.id";
    private static final String CURRENT_VERSION = "1";

    /**
     * Reads the directory's identity, or writes a new one if it has none.
     *
     * @param nodeId the configured node id, which must match a stored one
     * @param configuredClusterId a cluster id the operator asked for; when present it must match a
     *     stored one, and it is used for a new directory instead of a random id
     * @throws InconsistentMetaPropertiesException if the stored identity differs from the configured one
     */
    public static MetaProperties loadOrCreate(Path logDir, int nodeId, Optional<String> configuredClusterId)
            throws IOException {
        Path file = logDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            MetaProperties created = new MetaProperties(configuredClusterId.orElseGet(MetaProperties::randomClusterId),
                    nodeId);
            created.write(logDir);
            return created;
        }
        MetaProperties stored = read(file);
        if (stored.nodeId != nodeId) {
            throw new InconsistentMetaPropertiesException("The data directory " + logDir + " belongs to node.id "
                    + stored.nodeId + " (see " + file + "), but this node is configured with node.id " + nodeId
                    + ". Use the matching node.id or another log directory.");
        }
        if (configuredClusterId.isPresent() && !configuredClusterId.get().equals(stored.clusterId)) {
            throw new InconsistentMetaPropertiesException("The data directory " + logDir + " belongs to cluster "
                    + stored.clusterId + " (see " + file + "), but this node is configured for cluster "
                    + configuredClusterId.get() + ".");
        }
        return stored;
    }

    /** A new cluster id in Kafka's format: a random UUID as 22 characters of URL-safe base64. */
    public static String randomClusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private static MetaProperties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        String version = properties.getProperty(VERSION_KEY);
        if (!CURRENT_VERSION.equals(version)) {
            throw new InconsistentMetaPropertiesException(file + " has version " + version + ", expected "
                    + CURRENT_VERSION);
        }
        String clusterId = required(properties, CLUSTER_ID_KEY, file);
        String nodeId = required(properties, NODE_ID_KEY, file);
        try {
            return new MetaProperties(clusterId, Integer.parseInt(nodeId.trim()));
        } catch (NumberFormatException e) {
            throw new InconsistentMetaPropertiesException(file + " has a node.id that is not a number: " + nodeId);
        }
    }

    private static String required(Properties properties, String key, Path file) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new InconsistentMetaPropertiesException(file + " has no " + key);
        }
        return value.trim();
    }

    private void write(Path logDir) throws IOException {
        Files.createDirectories(logDir);
        // The lines Properties.store writes, less its date comment: formatting the date (time zone
        // names) was a few milliseconds of a first start. Properties.load reads them.
        String text = "#Identity of this data directory. Do not edit.\n"
                + VERSION_KEY + "=" + CURRENT_VERSION + "\n"
                + CLUSTER_ID_KEY + "=" + escapedValue(clusterId) + "\n"
                + NODE_ID_KEY + "=" + nodeId + "\n";
        // Write aside, then rename: a crash leaves either no file or a whole one.
        Path temporary = logDir.resolve(FILE_NAME + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, logDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** A value as a properties file holds it: backslashes and line breaks, which Properties.load reads as escapes or ends, escaped. */
    private static String escapedValue(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                case '\f' -> escaped.append("\\f");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
