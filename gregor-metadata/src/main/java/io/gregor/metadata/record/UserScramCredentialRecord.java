package io.gregor.metadata.record;

import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.image.ScramMechanism;
import java.util.Objects;

/**
 * A user's SCRAM credential for one mechanism was set, replacing any earlier one for that
 * mechanism. Carries the salted keys only, never the password or the salted password.
 */
public record UserScramCredentialRecord(String name, ScramMechanism mechanism, ScramCredential credential)
        implements MetadataRecord {
    public UserScramCredentialRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(credential, "credential");
    }
}
