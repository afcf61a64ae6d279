package io.gregor.broker.group;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Where a member of a consumer group stands in its reconciliation (KIP-848): the epoch it
 * runs at, the partitions it may use, and those it was asked to give up but has not yet
 * confirmed giving up.
 *
 * @param epoch the member epoch; it reaches the target assignment's epoch once the member has
 *     revoked what it must
 * @param previousEpoch the epoch before the last bump; a heartbeat still carrying it is
 *     accepted when the member's response was lost
 * @param pendingRevocation partitions still owned by the member that the target gave to others;
 *     nobody else gets them until the member's heartbeat no longer lists them
 */
record MemberAssignment(int epoch, int previousEpoch, State state, Map<UUID, Set<Integer>> assigned,
                        Map<UUID, Set<Integer>> pendingRevocation) {

    /** The member-side states of reconciliation. */
    enum State {
        /** The member has its target, or all of it that is free. */
        STABLE,
        /** The member must revoke {@code pendingRevocation} before its epoch moves on. */
        UNREVOKED_PARTITIONS,
        /** The member is at the target epoch but waits for partitions other members still own. */
        UNRELEASED_PARTITIONS
    }

    MemberAssignment {
        assigned = Assignments.copy(assigned);
        pendingRevocation = Assignments.copy(pendingRevocation);
    }

    static MemberAssignment joining() {
        return new MemberAssignment(0, 0, State.STABLE, Assignments.NONE, Assignments.NONE);
    }

    /** Everything the member still owns: what it may use and what it has yet to revoke. */
    Map<UUID, Set<Integer>> owned() {
        return Assignments.union(assigned, pendingRevocation);
    }
}
