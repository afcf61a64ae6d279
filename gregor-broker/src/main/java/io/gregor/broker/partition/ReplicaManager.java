package io.gregor.broker.partition;

import io.gregor.broker.purgatory.Purgatory;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.MetadataPublisher;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.image.TopicImage;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.ConfigResourceType;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.storage.log.LogConfig;
import io.gregor.storage.log.LogManager;
import io.gregor.storage.log.PartitionLog;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, kept in step with the metadata image: when a committed
 * metadata change gives this broker a partition, its log is opened or created; when a topic is
 * deleted, its logs go; when a topic's configs change, its logs take the new config.
 *
 * <p>Thread-safety: the partition map is concurrent; request handlers read it from any thread.
 * Metadata updates arrive on the controller's single thread, in log order.
 */
public final class ReplicaManager implements MetadataPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);

    private final int nodeId;
    private final LogManager logManager;
    private final Purgatory<TopicPartition> fetchPurgatory;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final List<LeadershipListener> leadershipListeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image;

    public ReplicaManager(int nodeId, LogManager logManager, Purgatory<TopicPartition> fetchPurgatory,
                          MetadataImage initialImage) {
        this.nodeId = nodeId;
        this.logManager = logManager;
        this.fetchPurgatory = fetchPurgatory;
        this.image = initialImage;
    }

    public Optional<Partition> partition(String topic, int index) {
        return Optional.ofNullable(partitions.get(new TopicPartition(topic, index)));
    }

    /**
     * Registers a listener and tells it at once of the partitions already led here, so it
     * does not matter whether it is added before or after the start image is loaded.
     */
    public void addLeadershipListener(LeadershipListener listener) {
        leadershipListeners.add(listener);
        partitions.values().forEach(listener::onBecomeLeader);
    }

    /**
     * The partition a client addresses with its current leader epoch: UNKNOWN_TOPIC_OR_PARTITION
     * when this broker does not lead it, FENCED_LEADER_EPOCH or UNKNOWN_LEADER_EPOCH when the
     * client's epoch is behind or ahead of ours.
     *
     * @throws ApiException with one of those codes
     */
    public Partition leaderPartition(String topic, int index, int currentLeaderEpoch) {
        Partition partition = partition(topic, index).orElseThrow(() -> new ApiException(
                Errors.UNKNOWN_TOPIC_OR_PARTITION, "This broker does not lead " + topic + "-" + index));
        Errors epochError = partition.checkLeaderEpoch(currentLeaderEpoch);
        if (epochError != Errors.NONE) {
            throw new ApiException(epochError, "Leader epoch " + currentLeaderEpoch + " of " + topic + "-" + index
                    + " does not match the current " + partition.leaderEpoch());
        }
        return partition;
    }

    /** Whether the metadata knows this partition, wherever it is led. */
    public boolean partitionExists(TopicPartition tp) {
        return image.topic(tp.topic()).flatMap(topic -> topic.partition(tp.partition())).isPresent();
    }

    public Optional<String> topicName(UUID topicId) {
        return image.topic(topicId).map(TopicImage::name);
    }

    /**
     * Takes the image replayed at start: opens the partitions it gives this broker and deletes
     * logs left on disk for topics deleted while the broker was down.
     */
    public void loadImage(MetadataImage startImage) {
        image = startImage;
        for (PartitionLog log : logManager.allLogs()) {
            TopicPartition tp = log.topicPartition();
            boolean known = startImage.topic(tp.topic())
                    .flatMap(topic -> topic.partition(tp.partition()))
                    .isPresent();
            if (!known) {
                LOG.info("Deleting the log of {}: its topic no longer exists", tp);
                logManager.deleteLog(tp);
            }
        }
        reconcile(startImage, Set.of());
    }

    @Override
    public void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage) {
        image = newImage;
        for (TopicImage deleted : delta.deletedTopics().values()) {
            for (int index : deleted.partitions().keySet()) {
                removePartition(new TopicPartition(deleted.name(), index));
            }
        }
        Set<String> reconfigured = new HashSet<>();
        for (ConfigResource resource : delta.changedConfigs()) {
            if (resource.type() == ConfigResourceType.TOPIC) {
                reconfigured.add(resource.name());
            }
        }
        reconcile(newImage, reconfigured);
    }

    private void reconcile(MetadataImage newImage, Set<String> reconfigured) {
        for (TopicImage topic : newImage.topicsByName().values()) {
            LogConfig config = logConfig(newImage, topic.name());
            for (PartitionImage partitionImage : topic.partitions().values()) {
                if (partitionImage.leader() == nodeId) {
                    ensurePartition(topic, partitionImage, config, reconfigured.contains(topic.name()));
                }
            }
        }
    }

    private LogConfig logConfig(MetadataImage metadata, String topic) {
        return logManager.logConfig(metadata.configs(new ConfigResource(ConfigResourceType.TOPIC, topic)));
    }



    private void ensurePartition(TopicImage topic, PartitionImage partitionImage, LogConfig config,
                                 boolean reconfigured) {
        TopicPartition tp = new TopicPartition(topic.name(), partitionImage.partition());
        Partition existing = partitions.get(tp);
        if (existing != null && existing.topicId().equals(topic.id())) {
            existing.updateLeaderEpoch(partitionImage.leaderEpoch());
            if (reconfigured) {
                existing.log().updateConfig(config);
            }
            return;
        }
        if (existing != null) {
            // The name now belongs to a new topic: the old topic's data must not show through.
            removePartition(tp);
        }
        PartitionLog log = logManager.getOrCreateLog(tp, config);
        Partition partition = new Partition(tp, topic.id(), partitionImage.leaderEpoch(), log, fetchPurgatory);
        partitions.put(tp, partition);
        // An empty log gets its first epoch entry with its first append. Writing it now would
        // cost a checkpoint fsync per partition: 1,000 of them when a 1,000-partition topic is made.
        if (log.logEndOffset() > 0) {
            log.leaderEpochCache().assign(partitionImage.leaderEpoch(), log.logEndOffset());
        }
        leadershipListeners.forEach(listener -> listener.onBecomeLeader(partition));
    }

    private void removePartition(TopicPartition tp) {
        Partition removed = partitions.remove(tp);
        if (removed != null) {
            leadershipListeners.forEach(listener -> listener.onResignLeader(tp));
            logManager.deleteLog(tp);
            // Parked fetches on the partition answer now, with UNKNOWN_TOPIC_OR_PARTITION.
            fetchPurgatory.wake(tp);
            LOG.info("Deleted partition {}", tp);
        }
    }

    /** DescribeLogDirs: every log directory with the sizes of the partitions in it. */
    public List<LogDirUsage> logDirUsage() {
        List<LogDirUsage> usage = new ArrayList<>();
        for (Path dir : logManager.logDirs()) {
            if (logManager.isOffline(dir)) {
                usage.add(new LogDirUsage(dir.toString(), Errors.KAFKA_STORAGE_ERROR, -1, -1, Map.of()));
                continue;
            }
            Map<TopicPartition, Long> sizes = new LinkedHashMap<>();
            for (PartitionLog log : logManager.logsIn(dir)) {
                sizes.put(log.topicPartition(), log.sizeInBytes());
            }
            long total = -1;
            long usable = -1;
            try {
                FileStore store = Files.getFileStore(dir);
                total = store.getTotalSpace();
                usable = store.getUsableSpace();
            } catch (IOException e) {
                LOG.warn("Cannot read the size of the file system of {}: {}", dir, e.getMessage());
            }
            usage.add(new LogDirUsage(dir.toAbsolutePath().toString(), Errors.NONE, total, usable, sizes));
        }
        return usage;
    }
}
