package io.gregor.metadata.record;

import io.gregor.metadata.image.ScramMechanism;
import java.util.Objects;

/** A user's SCRAM credential for one mechanism was deleted; the user's other mechanisms stay. */
public record RemoveUserScramCredentialRecord(String name, ScramMechanism mechanism) implements MetadataRecord {
    public RemoveUserScramCredentialRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mechanism, "mechanism");
    }
}
