package io.gregor.broker.group;

import io.gregor.broker.coordinator.CoordinatorLocation;
import io.gregor.broker.coordinator.CoordinatorPartitions;
import io.gregor.broker.coordinator.CoordinatorTopic;
import io.gregor.broker.coordinator.PartitionCoordinatorLog;
import io.gregor.broker.partition.LeadershipListener;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.txn.TransactionMarkerListener;
import io.gregor.broker.txn.TransactionResult;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.InternalTopics;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.MetadataPublisher;
import io.gregor.metadata.image.TopicImage;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ListGroupsResponse;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator of this broker: one {@link CoordinatorShard} per partition of
 * {@code __consumer_offsets} this broker leads, created and dropped as leadership comes and goes
 * (it listens to the replica manager). A group belongs to the shard of partition
 * {@code abs(groupId.hashCode()) % offsets.topic.num.partitions}, the same function Kafka uses,
 * so every broker and client agrees on it. Requests for a group whose partition is led
 * elsewhere answer NOT_COORDINATOR. Which partitions are here, their threads, FindCoordinator and
 * the errors for a shard not here are the {@link CoordinatorPartitions} it shares with the
 * transaction coordinator; the groups and offsets are its own.
 */
public final class GroupCoordinator implements LeadershipListener, MetadataPublisher, TransactionMarkerListener,
        AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

    private final QuorumController controller;
    private final CoordinatorPartitions<CoordinatorShard> partitions;
    /** The topics consumer groups subscribe to, read from the current metadata image. */
    private final SubscribableTopics topics = new SubscribableTopics() {
        @Override
        public Optional<TopicInfo> byName(String name) {
            return controller.image().topic(name).filter(topic -> !topic.isInternal()).map(GroupCoordinator::info);
        }

        @Override
        public Optional<TopicInfo> byId(UUID id) {
            return controller.image().topic(id).map(GroupCoordinator::info);
        }

        @Override
        public Collection<TopicInfo> all() {
            return controller.image().topicsByName().values().stream().filter(topic -> !topic.isInternal())
                    .map(GroupCoordinator::info).toList();
        }
    };

    /**
     * @param nodeId this broker's id: a group whose {@code __consumer_offsets} partition the
     *               metadata has this broker lead, but whose shard is not loaded yet, is loading here
     */
    public GroupCoordinator(GroupCoordinatorConfig config, QuorumController controller, int nodeId, int threadCount,
                            Clock clock) {
        this.controller = controller;
        this.partitions = new CoordinatorPartitions<>(new CoordinatorTopic(InternalTopics.CONSUMER_OFFSETS,
                config.offsetsTopicPartitions(), config.offsetsTopicReplicationFactor()), controller, nodeId, LOG,
                "groups", "gregor-group-coordinator-", threadCount, (partition, executor) ->
                new CoordinatorShard(new PartitionCoordinatorLog(partition), executor, config, clock, topics));
    }

    private static SubscribableTopics.TopicInfo info(TopicImage topic) {
        return new SubscribableTopics.TopicInfo(topic.id(), topic.name(), topic.partitionCount());
    }

    /** The {@code __consumer_offsets} partition that holds a group. */
    public int partitionFor(String groupId) {
        return partitions.partitionFor(groupId);
    }

    @Override
    public void onBecomeLeader(Partition partition) {
        partitions.onBecomeLeader(partition);
    }

    @Override
    public void onResignLeader(TopicPartition topicPartition) {
        partitions.onResignLeader(topicPartition);
    }

    /** A transaction ended on a partition of ours: its pending offset commits are applied or dropped. */
    @Override
    public void onMarkerCommitted(TopicPartition partition, long producerId, TransactionResult result) {
        if (!partition.topic().equals(InternalTopics.CONSUMER_OFFSETS)) {
            return;
        }
        partitions.shard(partition.partition())
                .ifPresent(shard -> shard.onTransactionMarker(producerId, result == TransactionResult.COMMIT));
    }

    /** Deleted topics take their committed offsets with them, in every group. */
    @Override
    public void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage) {
        Set<String> deleted = delta.deletedTopics().values().stream().map(TopicImage::name)
                .filter(name -> !name.equals(InternalTopics.CONSUMER_OFFSETS)).collect(Collectors.toSet());
        if (deleted.isEmpty()) {
            return;
        }
        for (CoordinatorShard shard : partitions.shards()) {
            shard.submit(() -> {
                shard.offsets().dropTopics(deleted);
                return CompletableFuture.completedFuture(Errors.NONE);
            }, error -> error);
        }
    }

    /**
     * The broker coordinating a group, as reached on {@code listenerName}. Creates
     * {@code __consumer_offsets} first if it does not exist yet, as Kafka does on the first
     * FindCoordinator.
     */
    public CompletableFuture<CoordinatorLocation> locate(String groupId, String listenerName) {
        return partitions.locate(groupId, listenerName);
    }

    /**
     * Runs an operation on the shard of {@code groupId}; {@code failure} builds the answer
     * when the shard is not here (NOT_COORDINATOR), still loading (COORDINATOR_LOAD_IN_PROGRESS,
     * also before this broker has taken up a partition the metadata has it lead), or failed.
     */
    public <R> CompletableFuture<R> onShard(String groupId, Function<CoordinatorShard, CompletableFuture<R>> operation,
                                            Function<Errors, R> failure) {
        return partitions.onShard(groupId == null ? "" : groupId, operation, failure);
    }

    /** The groups of every shard here; a shard still loading makes the whole answer an error. */
    public record Listing(Errors error, List<ListGroupsResponse.ListedGroup> groups) {
    }

    public CompletableFuture<Listing> listGroups() {
        return partitions.onEveryShard(CoordinatorShard::listGroups)
                .thenApply(gathered -> new Listing(gathered.error(), gathered.items()));
    }

    /** The classic groups by state and the committed offsets of the shards loaded here. */
    public CompletableFuture<GroupCounts> counts() {
        return partitions.onEveryShard(CoordinatorShard::counts).thenApply(gathered -> GroupCounts.sum(gathered.items()));
    }

    @Override
    public void close() throws InterruptedException {
        partitions.shutdown();
    }
}
