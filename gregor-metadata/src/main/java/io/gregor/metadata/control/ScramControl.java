package io.gregor.metadata.control;

import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.image.ScramMechanism;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.RemoveUserScramCredentialRecord;
import io.gregor.metadata.record.UserScramCredentialRecord;
import io.gregor.protocol.error.Errors;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides changes of users' SCRAM credentials (KIP-554) against an image. A user's changes are
 * all-or-nothing: one invalid deletion or upsertion fails that user and writes none of its
 * records, while the other users of the same request proceed. Pure, like {@link ConfigControl}.
 */
final class ScramControl {
    ControllerResult<Map<String, ApiError>> alterUserScramCredentials(MetadataImage image,
                                                                     List<ScramDeletion> deletions,
                                                                     List<ScramUpsertion> upsertions) {
        // Each user once, in the order the request first names them, with its changes in request order.
        Map<String, UserChanges> byUser = new LinkedHashMap<>();
        deletions.forEach(d -> byUser.computeIfAbsent(d.user(), user -> new UserChanges()).deletions.add(d));
        upsertions.forEach(u -> byUser.computeIfAbsent(u.user(), user -> new UserChanges()).upsertions.add(u));

        List<MetadataRecord> records = new ArrayList<>();
        Map<String, ApiError> results = new LinkedHashMap<>();
        byUser.forEach((user, changes) -> {
            List<MetadataRecord> userRecords = new ArrayList<>();
            ApiError error = alter(image, user, changes, userRecords);
            results.put(user, error);
            if (error.isSuccess()) {
                records.addAll(userRecords);
            }
        });
        return new ControllerResult<>(records, results);
    }

    private static ApiError alter(MetadataImage image, String user, UserChanges changes, List<MetadataRecord> records) {
        if (user.isEmpty()) {
            return ApiError.of(Errors.UNACCEPTABLE_CREDENTIAL, "The user name must not be empty");
        }
        Optional<ApiError> clash = checkMechanisms(user, changes);
        if (clash.isPresent()) {
            return clash.get();
        }
        for (ScramDeletion deletion : changes.deletions) {
            ScramMechanism mechanism = ScramMechanism.forType(deletion.mechanismType()).orElseThrow();
            if (image.scramCredential(user, mechanism).isEmpty()) {
                return ApiError.of(Errors.RESOURCE_NOT_FOUND, "Attempt to delete a " + mechanism.mechanismName()
                        + " credential of user " + user + " that does not exist");
            }
            records.add(new RemoveUserScramCredentialRecord(user, mechanism));
        }
        for (ScramUpsertion upsertion : changes.upsertions) {
            ScramMechanism mechanism = ScramMechanism.forType(upsertion.mechanismType()).orElseThrow();
            Optional<ApiError> unacceptable = checkUpsertion(upsertion);
            if (unacceptable.isPresent()) {
                return unacceptable.get();
            }
            ScramCredential credential = ScramCredential.fromSaltedPassword(mechanism, upsertion.salt(),
                    upsertion.saltedPassword(), upsertion.iterations());
            records.add(new UserScramCredentialRecord(user, mechanism, credential));
        }
        return ApiError.NONE;
    }

    /**
     * Every mechanism must be known, and changed at most once per user: which of two changes of one
     * credential should win is not the broker's to guess.
     */
    private static Optional<ApiError> checkMechanisms(String user, UserChanges changes) {
        List<Byte> types = new ArrayList<>();
        changes.deletions.forEach(deletion -> types.add(deletion.mechanismType()));
        changes.upsertions.forEach(upsertion -> types.add(upsertion.mechanismType()));
        Set<ScramMechanism> changed = EnumSet.noneOf(ScramMechanism.class);
        for (byte type : types) {
            Optional<ScramMechanism> mechanism = ScramMechanism.forType(type);
            if (mechanism.isEmpty()) {
                return Optional.of(ApiError.of(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism type "
                        + type + ": expected 1 (SCRAM-SHA-256) or 2 (SCRAM-SHA-512)"));
            }
            if (!changed.add(mechanism.get())) {
                return Optional.of(ApiError.of(Errors.DUPLICATE_RESOURCE, "The request changes the "
                        + mechanism.get().mechanismName() + " credential of user " + user + " more than once"));
            }
        }
        return Optional.empty();
    }

    private static Optional<ApiError> checkUpsertion(ScramUpsertion upsertion) {
        if (upsertion.iterations() < ScramMechanism.MIN_ITERATIONS) {
            return Optional.of(ApiError.of(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations: "
                    + upsertion.iterations() + ", at least " + ScramMechanism.MIN_ITERATIONS + " are required"));
        }
        if (upsertion.iterations() > ScramMechanism.MAX_ITERATIONS) {
            return Optional.of(ApiError.of(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations: "
                    + upsertion.iterations() + ", at most " + ScramMechanism.MAX_ITERATIONS + " are allowed"));
        }
        if (upsertion.salt().length == 0) {
            return Optional.of(ApiError.of(Errors.UNACCEPTABLE_CREDENTIAL, "The salt must not be empty"));
        }
        if (upsertion.saltedPassword().length == 0) {
            return Optional.of(ApiError.of(Errors.UNACCEPTABLE_CREDENTIAL, "The salted password must not be empty"));
        }
        return Optional.empty();
    }

    /** A user's deletions and upsertions within one request. */
    private static final class UserChanges {
        private final List<ScramDeletion> deletions = new ArrayList<>();
        private final List<ScramUpsertion> upsertions = new ArrayList<>();
    }
}
