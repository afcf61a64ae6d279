package io.gregor.broker.security;

import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.image.ScramMechanism;
import java.util.Optional;

/**
 * Where SCRAM exchanges find the credential a client proves itself against: a user's stored
 * credential, or the credential of a delegation token, both from the broker's current metadata image.
 */
@FunctionalInterface
public interface ScramCredentialLookup {
    Optional<ScramCredential> find(String user, ScramMechanism mechanism);

    /** The credential of the delegation token with that id; none where tokens are disabled. */
    default Optional<TokenCredential> findToken(String tokenId, ScramMechanism mechanism) {
        return Optional.empty();
    }
}
