package io.gregor.broker.config;

import io.gregor.protocol.config.ConfigException;
import io.gregor.protocol.config.ConfigType;
import io.gregor.protocol.config.Validator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ordered set of {@link BrokerBrokerConfigKey}s and the parser that turns operator-supplied text
 * into typed values: unknown keys become warnings (with a suggestion when the key looks like a
 * typo of a known one), invalid values a {@link ConfigException}. It adds to the shared
 * {@link io.gregor.protocol.config.ConfigDef} what broker configuration needs and topic
 * configuration does not: keys without a default and synonyms. Immutable once built; safe to
 * share between threads.
 */
public final class BrokerConfigDefinitions {
    private final Map<String, BrokerConfigKey> keys;
    private final Map<String, String> synonymToKey;

    private BrokerConfigDefinitions(Map<String, BrokerConfigKey> keys) {
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        Map<String, String> synonyms = new LinkedHashMap<>();
        keys.values().forEach(key -> key.synonyms().forEach(s -> synonyms.put(s, key.name())));
        this.synonymToKey = Collections.unmodifiableMap(synonyms);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All keys in definition order. */
    public Collection<BrokerConfigKey> keys() {
        return keys.values();
    }

    /** The key of that name, or the key it is a synonym of. */
    public Optional<BrokerConfigKey> find(String name) {
        BrokerConfigKey key = keys.get(name);
        if (key == null && synonymToKey.containsKey(name)) {
            key = keys.get(synonymToKey.get(name));
        }
        return Optional.ofNullable(key);
    }

    /**
     * Parses the given properties. Every defined key gets a value: the operator's, else the
     * default; keys with neither are absent from {@link Parsed#values()}.
     *
     * @throws ConfigException naming the key and value of the first invalid entry
     */
    public Parsed parse(Map<String, String> properties) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> givenBy = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, String> entry : properties.entrySet()) {
            String name = entry.getKey().trim();
            Optional<BrokerConfigKey> key = find(name);
            if (key.isEmpty()) {
                warnings.add(unknownKeyWarning(name));
                continue;
            }
            String canonical = key.get().name();
            Object value = key.get().parse(entry.getValue());
            String earlier = givenBy.get(canonical);
            if (earlier != null && !values.get(canonical).equals(value)) {
                throw new ConfigException(name, entry.getValue().trim(), "it is the same setting as " + earlier
                        + ", which is " + values.get(canonical) + "; set only one of them");
            }
            values.put(canonical, value);
            givenBy.put(canonical, name);
        }
        for (BrokerConfigKey key : keys.values()) {
            if (!values.containsKey(key.name())) {
                key.defaultValue().ifPresent(v -> values.put(key.name(), v));
            }
        }
        return new Parsed(Collections.unmodifiableMap(values), Collections.unmodifiableSet(givenBy.keySet()),
                List.copyOf(warnings));
    }

    private String unknownKeyWarning(String name) {
        String warning = "Unknown configuration key '" + name + "' is ignored";
        String closest = null;
        int best = 3; // suggest only near misses: typos, not different keys
        for (String candidate : keys.keySet()) {
            int distance = editDistance(name, candidate);
            if (distance < best) {
                best = distance;
                closest = candidate;
            }
        }
        return closest == null ? warning : warning + " (did you mean '" + closest + "'?)";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * The outcome of parsing.
     *
     * @param values    canonical key name to typed value (operator's or default)
     * @param explicit  canonical names of the keys the operator set
     * @param warnings  one line per ignored entry, for the server to log
     */
    public record Parsed(Map<String, Object> values, java.util.Set<String> explicit, List<String> warnings) {
    }

    /** Collects key definitions in the order they are documented. */
    public static final class Builder {
        private final Map<String, BrokerConfigKey> keys = new LinkedHashMap<>();

        /** A key with a default; {@code validValues} describes the validator's range in words. */
        public Builder define(String name, ConfigType type, Object defaultValue, Validator validator,
                              String validValues, String doc, String... synonyms) {
            Object parsedDefault = io.gregor.protocol.config.ConfigDef.parseValue(name, type, defaultValue);
            validator.ensureValid(name, parsedDefault);
            return add(new BrokerConfigKey(name, type, Optional.of(parsedDefault), validator, validValues, doc,
                    List.of(synonyms)));
        }

        public Builder define(String name, ConfigType type, Object defaultValue, String doc) {
            return define(name, type, defaultValue, Validator.ANY, "", doc);
        }

        /** A key with no default: its absence means something the doc explains. */
        public Builder defineOptional(String name, ConfigType type, Validator validator, String validValues,
                                      String doc) {
            return add(new BrokerConfigKey(name, type, Optional.empty(), validator, validValues, doc, List.of()));
        }

        private Builder add(BrokerConfigKey key) {
            if (keys.putIfAbsent(key.name(), key) != null) {
                throw new IllegalArgumentException("Configuration key defined twice: " + key.name());
            }
            return this;
        }

        public BrokerConfigDefinitions build() {
            return new BrokerConfigDefinitions(keys);
        }
    }
}
