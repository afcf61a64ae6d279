package io.gregor.metadata.control;

import java.util.Objects;

/**
 * One SCRAM credential to delete, as the AlterUserScramCredentials request carries it.
 *
 * @param mechanismType the mechanism's wire code, checked by the controller
 */
public record ScramDeletion(String user, byte mechanismType) {
    public ScramDeletion {
        Objects.requireNonNull(user, "user");
    }
}
