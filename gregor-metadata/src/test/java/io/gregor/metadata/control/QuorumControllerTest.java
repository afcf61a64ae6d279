package io.gregor.metadata.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.image.TopicImage;
import io.gregor.metadata.quorum.LocalMetadataLog;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.ConfigRecord;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.PartitionRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuorumControllerTest {
    private static final BrokerRegistration BROKER = new BrokerRegistration(1,
            List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9092)), Optional.empty());

    @TempDir
    Path logDir;

    private final List<QuorumController> opened = new ArrayList<>();

    @AfterEach
    void closeControllers() throws IOException {
        for (QuorumController controller : opened) {
            controller.close();
        }
    }

    @Test
    void createdTopicIsWrittenAsTopicPartitionAndConfigRecords() {
        UUID id = new UUID(7, 7);
        ControllerResult<List<CreateTopicResult>> result = new TopicControl(TestConfigSchema.settings(), () -> id)
                .createTopics(imageWithBrokerOnly(), List.of(CreatableTopic.of("orders", 2, (short) 1)
                        .withConfigs(Map.of("retention.ms", "1000"))));

        assertThat(result.records()).containsExactly(
                new TopicRecord("orders", id),
                new PartitionRecord(id, 0, List.of(1), List.of(1), 1, 0, 0),
                new PartitionRecord(id, 1, List.of(1), List.of(1), 1, 0, 0),
                new ConfigRecord(ConfigResource.topic("orders"), "retention.ms", Optional.of("1000")));
        assertThat(result.response()).containsExactly(
                new CreateTopicResult("orders", ApiError.NONE, Optional.of(id), 2, (short) 1));
    }

    @Test
    void createdTopicAppearsInTheImageWithARandomId() {
        QuorumController controller = start();

        CreateTopicResult result = controller.createTopics(List.of(CreatableTopic.of("orders", 2, (short) 1)
                .withConfigs(Map.of("retention.ms", "1000"))), false).join().get(0);

        assertThat(result.error()).isEqualTo(ApiError.NONE);
        UUID id = result.topicId().orElseThrow();
        assertThat(id).isNotEqualTo(new UUID(0, 0));
        MetadataImage image = controller.image();
        assertThat(image.topic(id).map(TopicImage::name)).contains("orders");
        assertThat(image.topic("orders").orElseThrow().partitions().values())
                .extracting(PartitionImage::replicas, PartitionImage::isr, PartitionImage::leader)
                .containsOnly(tuple(List.of(1), List.of(1), 1));
        assertThat(image.configs(ConfigResource.topic("orders"))).containsExactlyEntriesOf(Map.of("retention.ms", "1000"));
    }

    @Test
    void replayingTheGeneratedRecordsGivesTheSameImage() {
        MetadataImage base = imageWithBrokerOnly();
        ControllerResult<List<CreateTopicResult>> result = new TopicControl(TestConfigSchema.settings(),
                UUID::randomUUID).createTopics(base, List.of(CreatableTopic.of("a", 3, (short) 1)));
        MetadataDelta first = new MetadataDelta(base);
        MetadataDelta second = new MetadataDelta(base);
        result.records().forEach(first::replay);
        result.records().forEach(second::replay);

        assertThat(first.apply()).isEqualTo(second.apply());
    }

    @Test
    void restartReplaysTheLogToTheSameImage() throws IOException {
        QuorumController controller = start();
        controller.createTopics(List.of(CreatableTopic.of("a", 3, (short) 1), CreatableTopic.of("b", 1, (short) 1)),
                false).join();
        controller.incrementalAlterConfigs(Map.of(ConfigResource.topic("a"),
                List.of(ConfigOperation.set("retention.ms", "5"))), false).join();
        controller.createPartitions(List.of(PartitionIncrease.to("b", 4)), false).join();
        controller.deleteTopics(List.of(TopicReference.byName("a"))).join();
        MetadataImage before = controller.image();
        controller.close();
        opened.remove(controller);

        List<MetadataImage> published = new ArrayList<>();
        QuorumController restarted = controller("cluster");
        restarted.addPublisher((delta, image) -> published.add(image));
        MetadataImage after = restarted.start().join();

        assertThat(after).isEqualTo(before);
        assertThat(published).containsExactly(before);
    }

    @Test
    void restartAfterATornWriteKeepsEveryAcknowledgedOperation() throws IOException {
        QuorumController controller = start();
        controller.createTopics(List.of(CreatableTopic.of("kept", 1, (short) 1)), false).join();
        MetadataImage acknowledged = controller.image();
        controller.createTopics(List.of(CreatableTopic.of("torn", 1, (short) 1)), false).join();
        controller.close();
        opened.remove(controller);
        Path file = logDir.resolve(LocalMetadataLog.DIRECTORY_NAME).resolve(LocalMetadataLog.FILE_NAME);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(file) - 5);
        }

        MetadataImage after = controller("cluster").start().join();

        assertThat(after).isEqualTo(acknowledged);
        assertThat(after.topic("torn")).isEmpty();
    }

    @Test
    void publishersSeeCreatedAndDeletedTopics() {
        QuorumController controller = start();
        List<MetadataDelta> deltas = new ArrayList<>();
        controller.addPublisher((delta, image) -> deltas.add(delta));

        UUID id = controller.createTopics(List.of(CreatableTopic.of("a", 2, (short) 1)), false).join().get(0)
                .topicId().orElseThrow();
        controller.deleteTopics(List.of(TopicReference.byId(id))).join();

        assertThat(deltas).hasSize(2);
        assertThat(deltas.get(0).createdTopics()).containsOnlyKeys(id);
        assertThat(deltas.get(0).changedPartitions()).hasSize(2);
        assertThat(deltas.get(1).deletedTopics()).containsOnlyKeys(id);
    }

    @Test
    void validateOnlyWritesNothing() {
        QuorumController controller = start();
        long before = controller.image().nextOffset();

        CreateTopicResult result = controller.createTopics(List.of(CreatableTopic.withDefaults("dry")), true)
                .join().get(0);

        assertThat(result.error()).isEqualTo(ApiError.NONE);
        assertThat(result.numPartitions()).isEqualTo(1);
        assertThat(controller.image().topic("dry")).isEmpty();
        assertThat(controller.image().nextOffset()).isEqualTo(before);
    }

    @Test
    void registeringTheSameBrokerTwiceWritesOnce() {
        QuorumController controller = start();
        long before = controller.image().nextOffset();

        controller.registerBroker(BROKER).join();

        assertThat(controller.image().nextOffset()).isEqualTo(before);
        assertThat(controller.image().brokers()).containsOnlyKeys(1);
    }

    @Test
    void deletingByNameAndByIdReportsUnknownTopicsWithTheirOwnErrors() {
        QuorumController controller = start();
        List<DeleteTopicResult> results = controller.deleteTopics(List.of(TopicReference.byName("nope"),
                TopicReference.byId(new UUID(3, 3)))).join();

        assertThat(results).extracting(r -> r.error().error())
                .containsExactly(Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_ID);
    }

    @Test
    void sameTopicTwiceInOneDeletionIsRemovedOnce() {
        QuorumController controller = start();
        UUID id = controller.createTopics(List.of(CreatableTopic.of("a", 1, (short) 1)), false).join().get(0)
                .topicId().orElseThrow();

        List<DeleteTopicResult> results = controller.deleteTopics(List.of(TopicReference.byName("a"),
                TopicReference.byId(id))).join();

        assertThat(results).extracting(r -> r.error().error()).containsExactly(Errors.NONE, Errors.NONE);
        assertThat(controller.image().topic("a")).isEmpty();
    }

    @Test
    void manualAssignmentPlacesReplicasAsGiven() {
        QuorumController controller = start();
        CreatableTopic topic = new CreatableTopic("manual", OptionalInt.empty(), Optional.empty(),
                Map.of(0, List.of(1), 1, List.of(1)), Map.of());

        assertThat(controller.createTopics(List.of(topic), false).join().get(0).numPartitions()).isEqualTo(2);
        assertThat(controller.image().topic("manual").orElseThrow().partitionCount()).isEqualTo(2);
    }

    @Test
    void aReassignmentCompletesWhenTheLeaderAddsTheNewReplicaToTheIsrAndReplaysAfterARestart() throws IOException {
        QuorumController controller = start();
        controller.registerBroker(new BrokerRegistration(2, List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9093)),
                Optional.empty())).join();
        controller.createTopics(List.of(new CreatableTopic("moving", OptionalInt.empty(), Optional.empty(),
                Map.of(0, List.of(1)), Map.of())), false).join();
        TopicImage topic = controller.image().topic("moving").orElseThrow();
        TopicPartition tp = new TopicPartition("moving", 0);

        assertThat(controller.alterPartitionReassignments(Map.of(tp, Optional.of(List.of(2, 1))), true).join())
                .containsEntry(tp, ApiError.NONE);
        assertThat(controller.listPartitionReassignments(Optional.empty()).join()).containsOnlyKeys(tp);
        PartitionImage moving = controller.image().topic("moving").orElseThrow().partition(0).orElseThrow();

        PartitionImage done = controller.alterPartition(topic.id(), 0, 1, moving.leaderEpoch(),
                moving.partitionEpoch(), List.of(1, 2)).join();
        assertThat(done.replicas()).containsExactly(2, 1);
        assertThat(done.isReassigning()).isFalse();
        assertThat(controller.image().topic("moving").orElseThrow().partition(0)).contains(done);
        assertThat(controller.listPartitionReassignments(Optional.empty()).join()).isEmpty();

        controller.close();
        opened.remove(controller);
        QuorumController restarted = controller("cluster");
        restarted.start().join();
        assertThat(restarted.image().topic("moving").orElseThrow().partition(0)).contains(done);
    }

    private QuorumController start() {
        QuorumController controller = controller("cluster");
        controller.start().join();
        controller.registerBroker(BROKER).join();
        return controller;
    }

    private QuorumController controller(String clusterId) {
        QuorumController controller = new QuorumController(clusterId, new LocalMetadataLog(logDir),
                TestConfigSchema.settings());
        opened.add(controller);
        return controller;
    }

    private static MetadataImage imageWithBrokerOnly() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(BROKER.toRecord());
        return delta.apply();
    }
}
