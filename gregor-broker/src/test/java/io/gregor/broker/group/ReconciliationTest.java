package io.gregor.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class ReconciliationTest {
    private static final UUID TOPIC = new UUID(0, 7);
    private static final BiPredicate<UUID, Integer> NOBODY_ELSE = (topic, partition) -> false;

    @Test
    void newMemberGetsItsFreeTargetAtTheTargetEpoch() {
        MemberAssignment next = Reconciliation.next(MemberAssignment.joining(), 3, Map.of(TOPIC, Set.of(0, 1)),
                Optional.of(Map.of()), NOBODY_ELSE);

        assertThat(next.epoch()).isEqualTo(3);
        assertThat(next.state()).isEqualTo(MemberAssignment.State.STABLE);
        assertThat(next.assigned()).isEqualTo(Map.of(TOPIC, Set.of(0, 1)));
    }

    @Test
    void memberMustRevokeBeforeItsEpochMovesOn() {
        MemberAssignment owning = stable(2, Set.of(0, 1, 2));

        MemberAssignment revoking = Reconciliation.next(owning, 3, Map.of(TOPIC, Set.of(0, 1)),
                Optional.empty(), NOBODY_ELSE);

        assertThat(revoking.state()).isEqualTo(MemberAssignment.State.UNREVOKED_PARTITIONS);
        assertThat(revoking.epoch()).isEqualTo(2);
        assertThat(revoking.assigned()).isEqualTo(Map.of(TOPIC, Set.of(0, 1)));
        assertThat(revoking.pendingRevocation()).isEqualTo(Map.of(TOPIC, Set.of(2)));

        MemberAssignment stillOwning = Reconciliation.next(revoking, 3, Map.of(TOPIC, Set.of(0, 1)),
                Optional.of(Map.of(TOPIC, Set.of(0, 1, 2))), NOBODY_ELSE);
        assertThat(stillOwning).isEqualTo(revoking);

        MemberAssignment revoked = Reconciliation.next(revoking, 3, Map.of(TOPIC, Set.of(0, 1)),
                Optional.of(Map.of(TOPIC, Set.of(0, 1))), NOBODY_ELSE);
        assertThat(revoked.state()).isEqualTo(MemberAssignment.State.STABLE);
        assertThat(revoked.epoch()).isEqualTo(3);
        assertThat(revoked.previousEpoch()).isEqualTo(2);
        assertThat(revoked.pendingRevocation()).isEmpty();
    }

    @Test
    void partitionStillOwnedByAnotherMemberIsAssignedOnlyOnceReleased() {
        BiPredicate<UUID, Integer> partitionTwoTaken = (topic, partition) -> partition == 2;

        MemberAssignment waiting = Reconciliation.next(MemberAssignment.joining(), 3, Map.of(TOPIC, Set.of(2, 3)),
                Optional.of(Map.of()), partitionTwoTaken);

        assertThat(waiting.state()).isEqualTo(MemberAssignment.State.UNRELEASED_PARTITIONS);
        assertThat(waiting.epoch()).isEqualTo(3);
        assertThat(waiting.assigned()).isEqualTo(Map.of(TOPIC, Set.of(3)));

        MemberAssignment released = Reconciliation.next(waiting, 3, Map.of(TOPIC, Set.of(2, 3)),
                Optional.empty(), NOBODY_ELSE);
        assertThat(released.state()).isEqualTo(MemberAssignment.State.STABLE);
        assertThat(released.assigned()).isEqualTo(Map.of(TOPIC, Set.of(2, 3)));
    }

    @Test
    void memberAtItsTargetStaysAsItIs() {
        MemberAssignment stable = stable(4, Set.of(0));

        assertThat(Reconciliation.next(stable, 4, Map.of(TOPIC, Set.of(0)), Optional.empty(), NOBODY_ELSE))
                .isSameAs(stable);
    }

    private static MemberAssignment stable(int epoch, Set<Integer> partitions) {
        return new MemberAssignment(epoch, epoch - 1, MemberAssignment.State.STABLE, Map.of(TOPIC, partitions),
                Map.of());
    }
}
