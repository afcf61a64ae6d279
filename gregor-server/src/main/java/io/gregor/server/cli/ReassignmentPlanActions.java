package io.gregor.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The plan-file side of {@code gregor topic reassign}, as {@code kafka-reassign-partitions.sh}
 * does it: {@code --generate} a plan for topics onto brokers, {@code --execute} one (with an
 * optional replication throttle), {@code --verify} its progress and remove the throttle once it is
 * done, {@code --cancel} it. The plan is checked against the cluster before anything changes, so
 * that a typo does not start half a reassignment.
 */
final class ReassignmentPlanActions {
    private final Admin admin;
    private final PrintWriter out;

    ReassignmentPlanActions(Admin admin, PrintWriter out) {
        this.admin = admin;
        this.out = out;
    }

    /** Reads and parses a plan file; a file that cannot be used is a usage error naming it. */
    static ReassignmentPlan readPlan(Path file) {
        try {
            return ReassignmentPlan.parse(read(file));
        } catch (ReassignmentPlan.InvalidPlan e) {
            throw new UsageException("Invalid reassignment plan " + file + ": " + e.getMessage());
        }
    }

    static List<String> readTopicsToMove(Path file) {
        try {
            return ReassignmentPlan.parseTopicsToMove(read(file));
        } catch (ReassignmentPlan.InvalidPlan e) {
            throw new UsageException("Invalid topics-to-move file " + file + ": " + e.getMessage());
        }
    }

    int generate(List<String> topics, List<Integer> brokerList, boolean rackAware) throws Exception {
        Map<Integer, Node> registered = brokers();
        Map<Integer, Optional<String>> chosen = new TreeMap<>();
        for (int id : brokerList) {
            Node node = registered.get(id);
            if (node == null) {
                throw new CliException(notRegistered(id, registered));
            }
            chosen.put(id, rackAware && node.hasRack() ? Optional.of(node.rack()) : Optional.empty());
        }
        Map<TopicPartition, List<Integer>> current = currentReplicas(topics);
        ReassignmentPlan proposal = ReassignmentProposal.propose(current, chosen);
        out.println("Current partition replica assignment");
        out.println(new ReassignmentPlan(current).toJson());
        out.println();
        out.println("Proposed partition reassignment configuration");
        out.println(proposal.toJson());
        return ExitCode.OK;
    }

    /**
     * @param additional start it even while other reassignments are in progress (or again, to change
     *                   the throttle of one under way); without it that is refused, as in Kafka, so that a
     *                   plan is not run twice or over another by mistake
     */
    int execute(ReassignmentPlan plan, Optional<Long> throttle, boolean additional) throws Exception {
        Map<TopicPartition, PartitionReassignment> ongoing = admin.listPartitionReassignments().reassignments().get();
        if (!additional && !ongoing.isEmpty()) {
            throw new CliException("Reassignments are in progress (" + names(sorted(ongoing.keySet()))
                    + "); wait for them (--verify, --list), or add --additional to start this one as well");
        }
        Map<Integer, Node> registered = brokers();
        Map<TopicPartition, List<Integer>> current = currentReplicas(plan.topics());
        // A partition being reassigned lists its added replicas too: what it had before is the rest.
        ongoing.forEach((tp, reassignment) -> current.computeIfPresent(tp, (p, replicas) -> replicas.stream()
                .filter(id -> !reassignment.addingReplicas().contains(id)).toList()));
        for (Map.Entry<TopicPartition, List<Integer>> entry : plan.partitions().entrySet()) {
            if (!current.containsKey(entry.getKey())) {
                throw new CliException("Partition " + entry.getKey() + " does not exist (see 'gregor topic describe "
                        + entry.getKey().topic() + "')");
            }
            for (int broker : entry.getValue()) {
                if (!registered.containsKey(broker)) {
                    throw new CliException("Partition " + entry.getKey() + ": " + notRegistered(broker, registered));
                }
            }
        }
        Map<TopicPartition, List<Integer>> before = new LinkedHashMap<>();
        plan.partitions().keySet().forEach(tp -> before.put(tp, current.get(tp)));
        out.println("Current partition replica assignment");
        out.println();
        out.println(new ReassignmentPlan(before).toJson());
        out.println();
        out.println("Save this to use as the --reassignment-json-file option during rollback");
        if (throttle.isPresent()) {
            setThrottles(ReassignmentThrottles.of(current, plan), throttle.get());
        }
        Map<TopicPartition, Optional<NewPartitionReassignment>> targets = new LinkedHashMap<>();
        plan.partitions().forEach((tp, replicas) -> targets.put(tp, Optional.of(new NewPartitionReassignment(replicas))));
        Map<TopicPartition, String> refused = refusals(admin.alterPartitionReassignments(targets).values());
        List<TopicPartition> started = plan.partitions().keySet().stream().filter(tp -> !refused.containsKey(tp)).toList();
        if (!started.isEmpty()) {
            out.println("Successfully started partition reassignment" + (started.size() == 1 ? "" : "s") + " for "
                    + names(started));
        }
        return report(refused, "start");
    }

    int verify(ReassignmentPlan plan, boolean preserveThrottles) throws Exception {
        Set<TopicPartition> ongoing = admin.listPartitionReassignments(plan.partitions().keySet())
                .reassignments().get().keySet();
        Map<TopicPartition, List<Integer>> current = currentReplicas(plan.topics());
        out.println("Status of partition reassignment:");
        int complete = 0;
        int failed = 0;
        for (Map.Entry<TopicPartition, List<Integer>> entry : plan.partitions().entrySet()) {
            TopicPartition tp = entry.getKey();
            List<Integer> now = current.get(tp);
            if (ongoing.contains(tp)) {
                out.println("Reassignment of partition " + tp + " is still in progress.");
            } else if (entry.getValue().equals(now)) {
                out.println("Reassignment of partition " + tp + " is complete.");
                complete++;
            } else {
                out.println("Reassignment of partition " + tp + " failed: it is not in progress, and its replicas are "
                        + (now == null ? "gone (no such partition)" : join(now)) + " rather than "
                        + join(entry.getValue()) + ".");
                failed++;
            }
        }
        if (complete == plan.partitions().size() && !preserveThrottles) {
            out.println();
            clearThrottles(plan.topics());
        }
        return failed == 0 ? ExitCode.OK : ExitCode.FAILURE;
    }

    int cancel(ReassignmentPlan plan, boolean preserveThrottles) throws Exception {
        Set<TopicPartition> ongoing = admin.listPartitionReassignments(plan.partitions().keySet())
                .reassignments().get().keySet();
        List<TopicPartition> toCancel = plan.partitions().keySet().stream().filter(ongoing::contains).toList();
        Map<TopicPartition, Optional<NewPartitionReassignment>> targets = new LinkedHashMap<>();
        toCancel.forEach(tp -> targets.put(tp, Optional.empty()));
        Map<TopicPartition, String> refused = targets.isEmpty() ? Map.of()
                : refusals(admin.alterPartitionReassignments(targets).values());
        List<TopicPartition> cancelled = toCancel.stream().filter(tp -> !refused.containsKey(tp)).toList();
        out.println(cancelled.isEmpty() ? "No reassignment of the plan's partitions was in progress"
                : "Successfully cancelled partition reassignment" + (cancelled.size() == 1 ? "" : "s") + " for "
                        + names(cancelled));
        if (!preserveThrottles) {
            clearThrottles(plan.topics());
        }
        return report(refused, "cancel");
    }

    private void setThrottles(ReassignmentThrottles throttles, long rate) throws Exception {
        if (throttles.isEmpty()) {
            out.println("No partition moves to another broker: no throttle to set");
            return;
        }
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
        throttles.leaderReplicas().forEach((topic, value) -> changes.computeIfAbsent(topicResource(topic),
                r -> new ArrayList<>()).add(set(ReassignmentThrottles.LEADER_REPLICAS, value)));
        throttles.followerReplicas().forEach((topic, value) -> changes.computeIfAbsent(topicResource(topic),
                r -> new ArrayList<>()).add(set(ReassignmentThrottles.FOLLOWER_REPLICAS, value)));
        for (int broker : throttles.brokers()) {
            changes.put(brokerResource(broker), List.of(set(ReassignmentThrottles.LEADER_RATE, Long.toString(rate)),
                    set(ReassignmentThrottles.FOLLOWER_RATE, Long.toString(rate))));
        }
        alterConfigs(changes);
        out.println("Warning: You must run --verify periodically, until the reassignment completes, to ensure the "
                + "throttle is removed.");
        out.println("The inter-broker throttle limit was set to " + rate + " B/s");
    }

    /** Removes the rates from every broker and the throttled replicas from the plan's topics. */
    private void clearThrottles(Collection<String> topics) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
        Set<Integer> brokers = new TreeSet<>(brokers().keySet());
        for (int broker : brokers) {
            changes.put(brokerResource(broker), List.of(delete(ReassignmentThrottles.LEADER_RATE),
                    delete(ReassignmentThrottles.FOLLOWER_RATE)));
        }
        for (String topic : new TreeSet<>(topics)) {
            changes.put(topicResource(topic), List.of(delete(ReassignmentThrottles.LEADER_REPLICAS),
                    delete(ReassignmentThrottles.FOLLOWER_REPLICAS)));
        }
        alterConfigs(changes);
        out.println("Clearing broker-level throttles on brokers " + join(new ArrayList<>(brokers)));
        new TreeSet<>(topics).forEach(topic -> out.println("Clearing topic-level throttles on topic " + topic));
    }

    private void alterConfigs(Map<ConfigResource, Collection<AlterConfigOp>> changes) throws Exception {
        try {
            admin.incrementalAlterConfigs(changes).all().get();
        } catch (ExecutionException e) {
            throw new CliException("Could not change the throttle configs: " + e.getCause().getMessage(), e);
        }
    }

    private Map<Integer, Node> brokers() throws Exception {
        Map<Integer, Node> brokers = new TreeMap<>();
        admin.describeCluster().nodes().get().forEach(node -> brokers.put(node.id(), node));
        return brokers;
    }

    /** Each partition of the topics with its replicas now; an unknown topic is a one-line error. */
    private Map<TopicPartition, List<Integer>> currentReplicas(Collection<String> topics) throws Exception {
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = admin.describeTopics(topics).allTopicNames().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new CliException(unknownTopics(topics));
            }
            throw e;
        }
        Map<TopicPartition, List<Integer>> replicas = new LinkedHashMap<>();
        descriptions.values().forEach(description -> description.partitions().forEach(info -> replicas.put(
                new TopicPartition(description.name(), info.partition()),
                info.replicas().stream().map(Node::id).toList())));
        return replicas;
    }

    /** Names the topics that do not exist (the describe call fails as a whole on the first one). */
    private String unknownTopics(Collection<String> topics) throws Exception {
        Set<String> existing = admin.listTopics().names().get();
        List<String> missing = topics.stream().filter(topic -> !existing.contains(topic)).toList();
        return (missing.size() == 1 ? "Topic " + missing.get(0) + " does not exist"
                : "Topics " + String.join(", ", missing) + " do not exist") + " (see 'gregor topic list')";
    }

    private static Map<TopicPartition, String> refusals(Map<TopicPartition, KafkaFuture<Void>> results)
            throws InterruptedException {
        Map<TopicPartition, String> refused = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get();
            } catch (ExecutionException e) {
                refused.put(result.getKey(), e.getCause().getMessage());
            }
        }
        return refused;
    }

    private int report(Map<TopicPartition, String> refused, String verb) {
        if (refused.isEmpty()) {
            return ExitCode.OK;
        }
        refused.forEach((tp, reason) -> out.println("Could not " + verb + " the reassignment of " + tp + ": " + reason));
        return ExitCode.FAILURE;
    }

    private static String notRegistered(int broker, Map<Integer, Node> registered) {
        return "broker " + broker + " is not registered or not running (brokers: "
                + join(new ArrayList<>(registered.keySet())) + ")";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("No such file: " + file);
        } catch (IOException e) {
            throw new UsageException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    private static ConfigResource topicResource(String topic) {
        return new ConfigResource(ConfigResource.Type.TOPIC, topic);
    }

    private static ConfigResource brokerResource(int broker) {
        return new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker));
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private static AlterConfigOp delete(String key) {
        return new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE);
    }

    private static List<TopicPartition> sorted(Collection<TopicPartition> partitions) {
        return partitions.stream().sorted(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition)).toList();
    }

    private static String names(List<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).collect(Collectors.joining(","));
    }

    private static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
