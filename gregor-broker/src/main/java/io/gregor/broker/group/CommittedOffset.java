package io.gregor.broker.group;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An offset a group committed for one partition, with the leader epoch of the record before it
 * (when the client sent one) and the client's free-form metadata.
 */
public record CommittedOffset(long offset, OptionalInt leaderEpoch, Optional<String> metadata, long commitTimestampMs) {
    public CommittedOffset {
        Objects.requireNonNull(leaderEpoch, "leaderEpoch");
        Objects.requireNonNull(metadata, "metadata");
    }
}
