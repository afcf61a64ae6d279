package io.gregor.broker.security;

import io.gregor.protocol.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

/**
 * One login module entry of a JAAS configuration, the form Kafka's brokers read their SASL users
 * from: {@code org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="secret";}.
 * Only the options matter to Gregor; the module class is never loaded.
 *
 * @param loginModule the login module class as written
 * @param options the {@code name=value} options, in order
 */
public record JaasEntry(String loginModule, Map<String, String> options) {
    /** The JVM property naming a JAAS file, as for Kafka's brokers. */
    public static final String JAAS_FILE_PROPERTY = "java.security.auth.login.config";
    private static final List<String> CONTROL_FLAGS = List.of("required", "requisite", "sufficient", "optional");

    public JaasEntry {
        options = Map.copyOf(options);
    }

    /**
     * Parses the value of a {@code sasl.jaas.config} setting: exactly one entry, ended by a semicolon.
     *
     * @throws ConfigException naming {@code key} (never the value: it holds passwords) when malformed
     */
    public static JaasEntry parse(String key, String text) {
        List<Token> tokens = tokenize(key, text);
        if (tokens.size() < 3 || !tokens.get(tokens.size() - 1).is(";")) {
            throw malformed(key, "expected: LoginModuleClass required name=\"value\" ... ;");
        }
        if (tokens.get(0).punctuation()) {
            throw malformed(key, "it must start with the login module class");
        }
        String flag = tokens.get(1).text();
        if (!CONTROL_FLAGS.contains(flag)) {
            throw malformed(key, "the login module's flag must be one of " + CONTROL_FLAGS + ", not " + flag);
        }
        Map<String, String> options = new LinkedHashMap<>();
        int last = tokens.size() - 1;
        for (int i = 2; i < last; i += 3) {
            if (i + 2 >= last || !tokens.get(i + 1).is("=") || tokens.get(i).punctuation()
                    || tokens.get(i + 2).punctuation()) {
                throw malformed(key, "options are name=value pairs, and one login module entry ends with ;");
            }
            options.put(tokens.get(i).text(), tokens.get(i + 2).text());
        }
        return new JaasEntry(tokens.get(0).text(), options);
    }

    /**
     * The first login module of a section of the JAAS file named by {@value #JAAS_FILE_PROPERTY},
     * or empty when no file is named or it has no such section.
     *
     * @throws ConfigException naming the property when the file cannot be read or parsed
     */
    public static Optional<JaasEntry> fromJaasFile(String section) {
        if (System.getProperty(JAAS_FILE_PROPERTY) == null) {
            return Optional.empty();
        }
        AppConfigurationEntry[] entries;
        try {
            entries = Configuration.getConfiguration().getAppConfigurationEntry(section);
        } catch (SecurityException e) {
            throw new ConfigException(JAAS_FILE_PROPERTY, System.getProperty(JAAS_FILE_PROPERTY),
                    "cannot read the JAAS file: " + e.getMessage());
        }
        if (entries == null || entries.length == 0) {
            return Optional.empty();
        }
        Map<String, String> options = new LinkedHashMap<>();
        entries[0].getOptions().forEach((name, value) -> options.put(name, String.valueOf(value)));
        return Optional.of(new JaasEntry(entries[0].getLoginModuleName(), options));
    }

    /** Words, quoted strings (with backslash escapes), and the punctuation {@code =} and {@code ;}. */
    private static List<Token> tokenize(String key, String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '=' || c == ';') {
                tokens.add(new Token(String.valueOf(c), true));
                i++;
            } else if (c == '"') {
                StringBuilder quoted = new StringBuilder();
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                        i++;
                    }
                    quoted.append(text.charAt(i++));
                }
                if (i == text.length()) {
                    throw malformed(key, "a quoted value is not closed");
                }
                tokens.add(new Token(quoted.toString(), false));
                i++;
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && "=;\"".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(new Token(text.substring(start, i), false));
            }
        }
        return tokens;
    }

    /** A word or quoted string, or one of the punctuation marks {@code =} and {@code ;}. */
    private record Token(String text, boolean punctuation) {
        boolean is(String mark) {
            return punctuation && text.equals(mark);
        }
    }

    private static ConfigException malformed(String key, String reason) {
        return new ConfigException(key, "(hidden)", "not a JAAS login module entry: " + reason);
    }
}
