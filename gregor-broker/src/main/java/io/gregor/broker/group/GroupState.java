package io.gregor.broker.group;

import java.util.Locale;
import java.util.Optional;

/**
 * The states of a classic group, named as Kafka names them on the wire (DescribeGroups,
 * ListGroups' state filter).
 *
 * <pre>
 * Empty --join--> PreparingRebalance --all joined / rebalance timeout--> CompletingRebalance
 * CompletingRebalance --leader's SyncGroup--> Stable
 * Stable / CompletingRebalance --join, leave, session expiry--> PreparingRebalance
 * PreparingRebalance --nobody left--> Empty;  Empty --DeleteGroups--> Dead
 * </pre>
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String wireName;

    GroupState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** ListGroups filters compare states case-insensitively. */
    public static Optional<GroupState> parse(String name) {
        for (GroupState state : values()) {
            if (state.wireName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
