package io.gregor.broker.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.coordinator.CoordinatorPartitions.Gathered;
import io.gregor.protocol.error.Errors;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decisions the group and transaction coordinators share: where a key lives and which error a request gets. */
class CoordinatorPartitionsTest {
    private static final int HERE = 1;

    @Test
    void aKeyHashesToThePartitionKafkaPicks() {
        CoordinatorTopic topic = new CoordinatorTopic("__transaction_state", 50, (short) 3);

        assertThat(topic.partitionFor("my-group")).isEqualTo(Math.abs("my-group".hashCode()) % 50);
        // "polygenelubricants".hashCode() is Integer.MIN_VALUE, whose abs is negative.
        assertThat("polygenelubricants".hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(topic.partitionFor("polygenelubricants")).isZero();
        assertThat(CoordinatorTopic.partitionFor("", 7)).isZero();
    }

    @Test
    void aShardNotHereIsLoadingWhenTheMetadataHasThisBrokerLeadIt() {
        assertThat(CoordinatorPartitions.missingShardError(Optional.of(HERE), HERE))
                .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
    }

    @Test
    void aShardLedElsewhereOrNowhereIsNotCoordinator() {
        assertThat(CoordinatorPartitions.missingShardError(Optional.of(2), HERE)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(CoordinatorPartitions.missingShardError(Optional.empty(), HERE)).isEqualTo(Errors.NOT_COORDINATOR);
    }

    @Test
    void listingsOfEveryShardAreJoined() {
        Gathered<String> merged = CoordinatorPartitions.merge(List.of(
                new Gathered<>(Errors.NONE, List.of("a", "b")), new Gathered<>(Errors.NONE, List.of("c"))));

        assertThat(merged).isEqualTo(new Gathered<>(Errors.NONE, List.of("a", "b", "c")));
    }

    @Test
    void aShardStillLoadingMakesTheListingAnError() {
        Gathered<String> merged = CoordinatorPartitions.merge(List.of(
                new Gathered<>(Errors.NONE, List.of("a")), new Gathered<>(Errors.COORDINATOR_LOAD_IN_PROGRESS, List.of())));

        assertThat(merged).isEqualTo(new Gathered<>(Errors.COORDINATOR_LOAD_IN_PROGRESS, List.of("a")));
    }

    @Test
    void aShardUnloadedMeanwhileJustHasNothingToList() {
        Gathered<String> merged = CoordinatorPartitions.merge(List.of(
                new Gathered<>(Errors.NOT_COORDINATOR, List.of()), new Gathered<>(Errors.NONE, List.of("a"))));

        assertThat(merged).isEqualTo(new Gathered<>(Errors.NONE, List.of("a")));
    }
}
