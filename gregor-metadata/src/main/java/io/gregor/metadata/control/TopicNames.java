package io.gregor.metadata.control;

import io.gregor.protocol.error.Errors;
import java.util.Optional;

/** Kafka's rules for topic names. */
public final class TopicNames {
    public static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    /** Why the name is not a legal topic name, as an INVALID_TOPIC_EXCEPTION; empty if it is legal. */
    public static Optional<ApiError> validate(String name) {
        if (name == null || name.isEmpty()) {
            return invalid("Topic name is illegal, it can't be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            return invalid("Topic name cannot be \".\" or \"..\"");
        }
        if (name.length() > MAX_LENGTH) {
            return invalid("Topic name is illegal, it can't be longer than " + MAX_LENGTH
                    + " characters, topic name: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isLegalChar(name.charAt(i))) {
                return invalid("Topic name \"" + name + "\" is illegal, it contains a character other than "
                        + "ASCII alphanumerics, '.', '_' and '-'");
            }
        }
        return Optional.empty();
    }

    /**
     * Metric names replace '.' with '_', so two topics that differ only there would share metrics;
     * Kafka refuses the second one. Topics collide when their collision keys are equal.
     */
    public static String collisionKey(String name) {
        return name.replace('.', '_');
    }

    public static boolean hasCollisionChars(String name) {
        return name.indexOf('.') >= 0 || name.indexOf('_') >= 0;
    }

    private static boolean isLegalChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    private static Optional<ApiError> invalid(String message) {
        return Optional.of(ApiError.of(Errors.INVALID_TOPIC_EXCEPTION, message));
    }
}
