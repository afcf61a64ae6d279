package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gregor topic reassign TOPIC --partition P --replicas 1,2,3} moves a partition's replicas
 * (the first replica is the preferred leader), {@code --cancel} stops a reassignment in progress
 * and {@code --list} shows those in progress: what {@code kafka-reassign-partitions.sh} does with
 * a plan of one partition, through the same AlterPartitionReassignments and
 * ListPartitionReassignments requests.
 */
@Command(name = "reassign", mixinStandardHelpOptions = true,
        description = "Move a partition's replicas to other brokers, cancel such a move, or list those in progress.")
final class TopicReassignCommand extends ClientCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "TOPIC",
            description = "Topic of the partition to move (with --list: only this topic's reassignments).")
    String topic;

    @Option(names = {"-p", "--partition"}, paramLabel = "P", description = "The partition to move or cancel.")
    Integer partition;

    @Option(names = "--replicas", paramLabel = "IDS", split = ",",
            description = "The target broker ids, comma-separated; the first one is the preferred leader.")
    List<Integer> replicas;

    @Option(names = "--cancel", description = "Cancel the reassignment of the partition: back to its former replicas.")
    boolean cancel;

    @Option(names = "--list", description = "List the partition reassignments in progress.")
    boolean list;

    @Override
    public Integer call() throws Exception {
        if (list) {
            if (partition != null || replicas != null || cancel) {
                throw new UsageException("--list takes no --partition, --replicas or --cancel");
            }
            return list();
        }
        if (topic == null || partition == null) {
            throw new UsageException("Name the TOPIC and its --partition (or use --list)");
        }
        if (cancel == (replicas != null)) {
            throw new UsageException("Give either --replicas IDS or --cancel");
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        Optional<NewPartitionReassignment> target = cancel ? Optional.empty()
                : Optional.of(new NewPartitionReassignment(replicas));
        try (Admin admin = admin()) {
            admin.alterPartitionReassignments(Map.of(tp, target)).all().get();
        } catch (ExecutionException e) {
            throw refusal(tp, e);
        }
        out().println(cancel ? "Cancelled the reassignment of " + tp
                : "Reassigning " + tp + " to replicas " + join(replicas)
                        + " (see 'gregor topic reassign --list'; done when it is no longer listed)");
        return ExitCode.OK;
    }

    private int list() throws Exception {
        Map<TopicPartition, PartitionReassignment> ongoing;
        try (Admin admin = admin()) {
            ongoing = admin.listPartitionReassignments().reassignments().get();
        }
        Table table = new Table("TOPIC", "PARTITION", "REPLICAS", "ADDING", "REMOVING");
        ongoing.entrySet().stream()
                .filter(entry -> topic == null || entry.getKey().topic().equals(topic))
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(TopicPartition::topic)
                        .thenComparingInt(TopicPartition::partition)))
                .forEach(entry -> table.row(entry.getKey().topic(), entry.getKey().partition(),
                        join(entry.getValue().replicas()), join(entry.getValue().addingReplicas()),
                        join(entry.getValue().removingReplicas())));
        if (table.isEmpty()) {
            out().println("No partition reassignments in progress");
        } else {
            table.print(out());
        }
        return ExitCode.OK;
    }

    private static Exception refusal(TopicPartition tp, ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new CliException("Partition " + tp + " does not exist (see 'gregor topic describe')");
        }
        if (cause instanceof InvalidReplicaAssignmentException || cause instanceof NoReassignmentInProgressException) {
            return new CliException(cause.getMessage());
        }
        return e;
    }

    private static String join(List<Integer> ids) {
        List<String> parts = new ArrayList<>();
        ids.forEach(id -> parts.add(Integer.toString(id)));
        return parts.isEmpty() ? "-" : String.join(",", parts);
    }
}
