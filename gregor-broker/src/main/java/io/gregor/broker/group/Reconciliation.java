package io.gregor.broker.group;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * One step of a member's incremental reconciliation towards its target assignment (KIP-848),
 * as a pure function so that the rules are tested on their own.
 *
 * <ul>
 *   <li>A member that owns partitions its target no longer has keeps its epoch and is told to
 *       use only the partitions it keeps; the others stay pending revocation until a heartbeat
 *       shows they are gone ({@link MemberAssignment.State#UNREVOKED_PARTITIONS}).</li>
 *   <li>Then it moves to the target epoch and gets the new partitions that no other member
 *       owns any more; those another member still owns (assigned or pending revocation) follow
 *       later ({@link MemberAssignment.State#UNRELEASED_PARTITIONS}). So a partition never has
 *       two owners: it goes to its new owner only after the previous one has revoked it.</li>
 * </ul>
 */
final class Reconciliation {
    private Reconciliation() {
    }

    /**
     * @param current where the member stands
     * @param targetEpoch the epoch of the group's target assignment
     * @param target the member's partitions in that target assignment
     * @param reportedOwned the partitions the member's heartbeat says it owns; empty when the
     *     heartbeat did not say (nothing changed on its side)
     * @param ownedByOthers whether another member of the group owns a partition
     */
    static MemberAssignment next(MemberAssignment current, int targetEpoch, Map<UUID, Set<Integer>> target,
                                 Optional<Map<UUID, Set<Integer>>> reportedOwned,
                                 BiPredicate<UUID, Integer> ownedByOthers) {
        MemberAssignment from = current;
        if (from.state() == MemberAssignment.State.UNREVOKED_PARTITIONS) {
            Map<UUID, Set<Integer>> pending = from.pendingRevocation();
            boolean revoked = reportedOwned.map(owned -> !Assignments.overlaps(owned, pending)).orElse(false);
            if (!revoked) {
                return from;
            }
            from = new MemberAssignment(from.epoch(), from.previousEpoch(), MemberAssignment.State.STABLE,
                    from.assigned(), Assignments.NONE);
        }
        if (from.epoch() == targetEpoch && from.state() == MemberAssignment.State.STABLE
                && from.assigned().equals(target)) {
            return from;
        }
        Map<UUID, Set<Integer>> kept = Assignments.intersect(from.assigned(), target);
        Map<UUID, Set<Integer>> toRevoke = Assignments.minus(from.assigned(), target);
        if (!toRevoke.isEmpty()) {
            return new MemberAssignment(from.epoch(), from.previousEpoch(),
                    MemberAssignment.State.UNREVOKED_PARTITIONS, kept, toRevoke);
        }
        Map<UUID, Set<Integer>> wanted = Assignments.minus(target, from.assigned());
        Map<UUID, Set<Integer>> free = Assignments.filter(wanted, (topic, p) -> !ownedByOthers.test(topic, p));
        boolean waiting = Assignments.size(free) < Assignments.size(wanted);
        int previousEpoch = from.epoch() == targetEpoch ? from.previousEpoch() : from.epoch();
        return new MemberAssignment(targetEpoch, previousEpoch,
                waiting ? MemberAssignment.State.UNRELEASED_PARTITIONS : MemberAssignment.State.STABLE,
                Assignments.union(kept, free), Assignments.NONE);
    }
}
