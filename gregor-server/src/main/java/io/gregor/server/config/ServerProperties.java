package io.gregor.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The broker's raw configuration as the operator gave it: a server.properties file (Java
 * properties syntax, as Kafka's) with {@code --override key=value} entries applied on top, in
 * order, the last one winning. Typing and validation are BrokerConfig's job.
 */
public final class ServerProperties {
    private ServerProperties() {
    }

    /**
     * Reads the file (when given) and applies the overrides.
     *
     * @throws InvalidServerPropertiesException when the file cannot be read or an override is
     *                                          not of the form key=value
     */
    public static Map<String, String> load(Optional<Path> file, List<String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (file.isPresent()) {
            properties.putAll(read(file.get()));
        }
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new InvalidServerPropertiesException(
                        "Invalid --override '" + override + "': expected key=value, e.g. --override num.partitions=3");
            }
            properties.put(override.substring(0, equals).trim(), override.substring(equals + 1).trim());
        }
        return properties;
    }

    private static Map<String, String> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new InvalidServerPropertiesException("Configuration file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidServerPropertiesException("Cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> entries = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted()
                .forEach(name -> entries.put(name, properties.getProperty(name)));
        return entries;
    }

    /** The operator's input cannot be used as it stands; the message says why, in one line. */
    public static final class InvalidServerPropertiesException extends RuntimeException {
        public InvalidServerPropertiesException(String message) {
            super(message);
        }
    }
}
