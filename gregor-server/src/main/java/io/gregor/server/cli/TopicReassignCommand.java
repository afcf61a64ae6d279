package io.gregor.server.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
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
 * ListPartitionReassignments requests. With plan files it does what that tool does with them
 * ({@code --generate}, {@code --execute}, {@code --verify}, {@code --cancel}; see
 * {@link ReassignmentPlanActions}).
 */
@Command(name = "reassign", mixinStandardHelpOptions = true,
        description = "Move partitions' replicas to other brokers (one partition, or a JSON plan file as "
                + "kafka-reassign-partitions.sh takes), cancel such a move, or list those in progress.")
final class TopicReassignCommand extends ClientCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "TOPIC",
            description = "Topic of the partition to move (with --list: only this topic's reassignments).")
    String topic;

    @Option(names = {"-p", "--partition"}, paramLabel = "P", description = "The partition to move or cancel.")
    Integer partition;

    @Option(names = "--replicas", paramLabel = "IDS", split = ",",
            description = "The target broker ids, comma-separated; the first one is the preferred leader.")
    List<Integer> replicas;

    @Option(names = "--cancel", description = "Cancel the reassignment of the partition (or of the partitions of "
            + "--reassignment-json-file): back to their former replicas.")
    boolean cancel;

    @Option(names = "--list", description = "List the partition reassignments in progress.")
    boolean list;

    @Option(names = "--generate", description = "Print the current assignment of the topics of "
            + "--topics-to-move-json-file and a proposed one onto the brokers of --broker-list.")
    boolean generate;

    @Option(names = "--topics-to-move-json-file", paramLabel = "FILE",
            description = "With --generate: {\"version\":1,\"topics\":[{\"topic\":\"t\"}]}.")
    Path topicsToMoveFile;

    @Option(names = "--broker-list", paramLabel = "IDS", split = ",",
            description = "With --generate: the broker ids to spread the topics' replicas over.")
    List<Integer> brokerList;

    @Option(names = "--disable-rack-aware", description = "With --generate: ignore the brokers' racks.")
    boolean disableRackAware;

    @Option(names = "--execute", description = "Start the reassignment of --reassignment-json-file.")
    boolean execute;

    @Option(names = "--verify", description = "Report the progress of the reassignment of --reassignment-json-file; "
            + "once it is complete, remove the replication throttles.")
    boolean verify;

    @Option(names = "--reassignment-json-file", paramLabel = "FILE", description = "The plan: "
            + "{\"version\":1,\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1,2,3]}]}; "
            + "with --cancel, cancels the reassignment of its partitions.")
    Path reassignmentFile;

    @Option(names = "--throttle", paramLabel = "BYTES_PER_SEC", description = "With --execute: limit the "
            + "replication of the moving replicas to this many bytes per second per broker, until --verify "
            + "finds the reassignment complete.")
    Long throttle;

    @Option(names = "--additional", description = "With --execute: start the plan even while other "
            + "reassignments are in progress.")
    boolean additional;

    @Option(names = "--preserve-throttles", description = "With --verify or --cancel of a plan: leave the throttles.")
    boolean preserveThrottles;

    @Override
    public Integer call() throws Exception {
        long modes = Stream.of(list, generate, execute, verify).filter(Boolean::booleanValue).count();
        if (modes > 1) {
            throw new UsageException("Give only one of --list, --generate, --execute and --verify");
        }
        boolean planFile = generate || execute || verify || (cancel && reassignmentFile != null);
        if (planFile) {
            return runPlan();
        }
        if (topicsToMoveFile != null || brokerList != null || reassignmentFile != null || throttle != null
                || preserveThrottles || disableRackAware || additional) {
            throw new UsageException("Plan-file options need --generate, --execute, --verify or --cancel");
        }
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

    private int runPlan() throws Exception {
        if (topic != null || partition != null || replicas != null) {
            throw new UsageException("A plan file names its partitions: no TOPIC, --partition or --replicas");
        }
        if (generate) {
            if (topicsToMoveFile == null || brokerList == null) {
                throw new UsageException("--generate needs --topics-to-move-json-file and --broker-list");
            }
            if (reassignmentFile != null || throttle != null || cancel || additional || preserveThrottles) {
                throw new UsageException("--generate takes no --reassignment-json-file, --throttle, --cancel, "
                        + "--additional or --preserve-throttles");
            }
            List<String> topics = ReassignmentPlanActions.readTopicsToMove(topicsToMoveFile);
            try (Admin admin = admin()) {
                return new ReassignmentPlanActions(admin, out()).generate(topics, brokerList, !disableRackAware);
            }
        }
        if (reassignmentFile == null) {
            throw new UsageException("--execute, --verify and --cancel of a plan need --reassignment-json-file");
        }
        if (topicsToMoveFile != null || brokerList != null || disableRackAware) {
            throw new UsageException("--topics-to-move-json-file, --broker-list and --disable-rack-aware go with "
                    + "--generate");
        }
        if (throttle != null && (!execute || throttle < 1)) {
            throw new UsageException(execute ? "--throttle must be at least 1 byte per second"
                    : "--throttle goes with --execute");
        }
        if (execute && (cancel || preserveThrottles)) {
            throw new UsageException("--execute takes no --cancel or --preserve-throttles");
        }
        if (additional && !execute) {
            throw new UsageException("--additional goes with --execute");
        }
        ReassignmentPlan plan = ReassignmentPlanActions.readPlan(reassignmentFile);
        try (Admin admin = admin()) {
            ReassignmentPlanActions actions = new ReassignmentPlanActions(admin, out());
            if (execute) {
                return actions.execute(plan, Optional.ofNullable(throttle), additional);
            }
            return verify ? actions.verify(plan, preserveThrottles) : actions.cancel(plan, preserveThrottles);
        }
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
