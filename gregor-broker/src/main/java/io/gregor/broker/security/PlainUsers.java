package io.gregor.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The users the PLAIN mechanism admits and their passwords, from the {@code user_NAME="password"}
 * options of a JAAS login module entry, as Kafka's PlainLoginModule reads them. Immutable.
 */
public final class PlainUsers {
    private static final String USER_OPTION_PREFIX = "user_";

    private final Map<String, byte[]> passwords;

    private PlainUsers(Map<String, byte[]> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /** The users among a login module's options; other options (username, password) are not users. */
    public static PlainUsers fromJaasOptions(Map<String, String> options) {
        Map<String, byte[]> passwords = new LinkedHashMap<>();
        options.forEach((name, value) -> {
            if (name.startsWith(USER_OPTION_PREFIX) && name.length() > USER_OPTION_PREFIX.length()) {
                passwords.put(name.substring(USER_OPTION_PREFIX.length()), value.getBytes(StandardCharsets.UTF_8));
            }
        });
        return new PlainUsers(passwords);
    }

    public Set<String> names() {
        return passwords.keySet();
    }

    /** Whether the user exists and has that password; the comparison takes as long whatever the password. */
    public boolean matches(String user, String password) {
        byte[] expected = passwords.get(user);
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        return expected != null && MessageDigest.isEqual(expected, given);
    }
}
