package io.gregor.broker.security;

import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.image.ScramMechanism;
import java.util.Optional;

/** Where SCRAM exchanges find a user's stored credential: the broker's current metadata image. */
@FunctionalInterface
public interface ScramCredentialLookup {
    Optional<ScramCredential> find(String user, ScramMechanism mechanism);
}
