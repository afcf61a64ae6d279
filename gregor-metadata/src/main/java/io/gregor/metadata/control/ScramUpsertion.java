package io.gregor.metadata.control;

import java.util.Objects;

/**
 * One SCRAM credential to set, as the AlterUserScramCredentials request carries it: the client has
 * already salted the password (Hi() of RFC 5802), so the password itself never reaches the broker.
 *
 * @param mechanismType the mechanism's wire code, checked by the controller
 */
public record ScramUpsertion(String user, byte mechanismType, int iterations, byte[] salt, byte[] saltedPassword) {
    public ScramUpsertion {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(saltedPassword, "saltedPassword");
    }
}
