package io.gregor.broker.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The message syntax of SCRAM (RFC 5802 section 7), shared by the broker's server side
 * ({@link ScramExchange}) and the client side other brokers authenticate with. Each side turns an
 * empty answer into its own error.
 */
public final class ScramMessages {
    private ScramMessages() {
    }

    /**
     * Comma-separated {@code name=value} attributes, in order; a value may itself hold '=' (base64).
     * Empty when a part is not {@code name=value}. An attribute given twice keeps its first value.
     */
    public static Optional<Map<String, String>> attributes(String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String part : text.split(",", -1)) {
            int equals = part.indexOf('=');
            if (equals < 1) {
                return Optional.empty();
            }
            attributes.putIfAbsent(part.substring(0, equals), part.substring(equals + 1));
        }
        return Optional.of(attributes);
    }

    /** RFC 5802's saslname: ',' is sent as "=2C" and '=' as "=3D". */
    public static String encodeSaslName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    /** The name a saslname stands for; empty when it holds an '=' that escapes nothing. */
    public static Optional<String> decodeSaslName(String name) {
        StringBuilder decoded = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '=') {
                decoded.append(c);
            } else if (name.startsWith("=2C", i)) {
                decoded.append(',');
                i += 2;
            } else if (name.startsWith("=3D", i)) {
                decoded.append('=');
                i += 2;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(decoded.toString());
    }

    /** ClientKey from ClientProof and ClientSignature, or the proof from the other two: their XOR. */
    public static byte[] xor(byte[] a, byte[] b) {
        byte[] result = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            result[i] = (byte) (a[i] ^ b[i]);
        }
        return result;
    }
}
