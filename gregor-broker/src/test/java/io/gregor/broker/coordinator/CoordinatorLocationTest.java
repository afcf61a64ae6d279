package io.gregor.broker.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.PartitionRecord;
import io.gregor.metadata.record.RegisterBrokerRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.protocol.error.Errors;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What FindCoordinator answers for a key, from the committed metadata and what this broker has taken up. */
class CoordinatorLocationTest {
    private static final int HERE = 1;
    private static final int OTHER = 2;
    private static final CoordinatorTopic TOPIC = new CoordinatorTopic("__consumer_offsets", 2, (short) 1);

    @Test
    void namesTheLeaderOnTheListenerTheClientCameIn() {
        MetadataImage image = image(OTHER, HERE);

        assertThat(CoordinatorLocation.of(image, TOPIC, 0, HERE, false, "EXTERNAL"))
                .isEqualTo(new CoordinatorLocation(Errors.NONE, OTHER, "other-external", 9093));
        assertThat(CoordinatorLocation.of(image, TOPIC, 0, HERE, false, null))
                .isEqualTo(new CoordinatorLocation(Errors.NONE, OTHER, "other", 9092));
        assertThat(CoordinatorLocation.of(image, TOPIC, 0, HERE, false, "UNKNOWN"))
                .isEqualTo(new CoordinatorLocation(Errors.NONE, OTHER, "other", 9092));
    }

    @Test
    void aPartitionLedHereIsNamedOnceTakenUp() {
        MetadataImage image = image(OTHER, HERE);

        assertThat(CoordinatorLocation.of(image, TOPIC, 1, HERE, true, null))
                .isEqualTo(new CoordinatorLocation(Errors.NONE, HERE, "here", 9092));
    }

    @Test
    void aPartitionLedHereButNotTakenUpYetIsNotAvailable() {
        MetadataImage image = image(OTHER, HERE);

        assertThat(CoordinatorLocation.of(image, TOPIC, 1, HERE, false, null))
                .isEqualTo(CoordinatorLocation.failed(Errors.COORDINATOR_NOT_AVAILABLE));
    }

    @Test
    void noLeaderOrAnUnregisteredLeaderIsNotAvailable() {
        MetadataImage image = image(-1, 7);

        assertThat(CoordinatorLocation.of(image, TOPIC, 0, HERE, false, null).error())
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(CoordinatorLocation.of(image, TOPIC, 1, HERE, false, null).error())
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(CoordinatorLocation.of(MetadataImage.empty("test"), TOPIC, 0, HERE, false, null).error())
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
    }

    @Test
    void theLeaderIsReadFromTheCommittedMetadata() {
        MetadataImage image = image(OTHER, -1);

        assertThat(TOPIC.leader(image, 0)).contains(OTHER);
        assertThat(TOPIC.leader(image, 1)).isEmpty();
        assertThat(TOPIC.leader(image, 2)).isEmpty();
    }

    /** Brokers HERE and OTHER registered, and the topic's partitions 0 and 1 led as given (-1: no leader). */
    private static MetadataImage image(int leader0, int leader1) {
        UUID id = UUID.randomUUID();
        List<MetadataRecord> records = List.of(
                broker(HERE, new BrokerEndpoint("PLAINTEXT", "here", 9092)),
                broker(OTHER, new BrokerEndpoint("PLAINTEXT", "other", 9092),
                        new BrokerEndpoint("EXTERNAL", "other-external", 9093)),
                new TopicRecord(TOPIC.name(), id),
                new PartitionRecord(id, 0, List.of(HERE, OTHER), List.of(HERE, OTHER), leader0, 0, 0),
                new PartitionRecord(id, 1, List.of(HERE, OTHER), List.of(HERE, OTHER), leader1, 0, 0));
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("test"));
        records.forEach(delta::replay);
        return delta.apply();
    }

    private static RegisterBrokerRecord broker(int id, BrokerEndpoint... endpoints) {
        return new RegisterBrokerRecord(id, List.of(endpoints), Optional.empty(), RegisterBrokerRecord.NO_INCARNATION,
                false);
    }
}
