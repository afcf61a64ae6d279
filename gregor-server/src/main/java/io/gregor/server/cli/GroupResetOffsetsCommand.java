package io.gregor.server.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gregor group reset-offsets GROUP}: moves a group's committed offsets, as
 * {@code kafka-consumer-groups --reset-offsets} does. Without {@code --execute} it only shows
 * what it would do. Only a group without active members can be reset (its members would
 * overwrite the offsets with their next commit); new offsets are kept within each partition's
 * earliest and latest offset.
 */
@Command(name = "reset-offsets", mixinStandardHelpOptions = true,
        description = "Move a group's committed offsets. Shows the plan unless --execute is given; the group "
                + "must have no active members.")
final class GroupResetOffsetsCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "GROUP", description = "Group whose offsets to move.")
    String group;

    @Option(names = "--topic", paramLabel = "TOPIC[:P,P...]",
            description = "A topic (all its partitions) or some of its partitions; repeatable.")
    List<String> topics = new ArrayList<>();

    @Option(names = "--all-topics", description = "Every partition the group has committed offsets for.")
    boolean allTopics;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Where to move the offsets; exactly one. */
    static final class Target {
        @Option(names = "--to-earliest", description = "The earliest offset still in the log.")
        boolean earliest;

        @Option(names = "--to-latest", description = "The log end offset: skip everything not yet read.")
        boolean latest;

        @Option(names = "--to-offset", paramLabel = "OFFSET", description = "This offset in every partition.")
        Long offset;

        @Option(names = "--to-datetime", paramLabel = "DATETIME",
                description = "The first record at or after this time: ISO-8601 (2026-01-31T12:00:00Z, or "
                        + "local time without a zone), or epoch milliseconds.")
        String datetime;

        @Option(names = "--shift-by", paramLabel = "N", description = "The committed offset plus N (negative: back).")
        Long shift;
    }

    @Option(names = "--execute", description = "Commit the new offsets (default: only show them).")
    boolean execute;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    /** One partition's move. */
    record Move(TopicPartition partition, Optional<Long> current, long target) {
    }

    @Override
    public Integer call() throws Exception {
        if (allTopics == !topics.isEmpty()) {
            throw new UsageException("Give either --topic (one or more) or --all-topics");
        }
        try (Admin admin = admin()) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            if (!description.members().isEmpty()) {
                throw new CliException("Group " + group + " has " + description.members().size()
                        + " active member(s) (state " + description.groupState() + "); stop its consumers first");
            }
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((tp, offset) -> {
                if (offset != null) {
                    committed.put(tp, offset.offset());
                }
            });
            Set<TopicPartition> partitions = partitions(admin, committed.keySet());
            if (partitions.isEmpty()) {
                throw new CliException("No partitions to reset: group " + group + " has no committed offsets");
            }
            Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> wanted = wanted(admin, partitions, committed, earliest, latest);
            List<Move> moves = partitions.stream().map(tp -> new Move(tp, Optional.ofNullable(committed.get(tp)),
                    Math.max(earliest.get(tp), Math.min(latest.get(tp), wanted.get(tp))))).toList();
            if (execute) {
                Map<TopicPartition, OffsetAndMetadata> commit = new LinkedHashMap<>();
                moves.forEach(m -> commit.put(m.partition(), new OffsetAndMetadata(m.target())));
                admin.alterConsumerGroupOffsets(group, commit).all().get();
            }
            print(moves);
        }
        return ExitCode.OK;
    }

    private Set<TopicPartition> partitions(Admin admin, Set<TopicPartition> committed) throws Exception {
        Set<TopicPartition> partitions = new TreeSet<>(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
        if (allTopics) {
            partitions.addAll(committed);
            return partitions;
        }
        for (String spec : topics) {
            int colon = spec.lastIndexOf(':');
            String topic = colon < 0 ? spec : spec.substring(0, colon);
            TopicDescription description;
            try {
                description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new CliException("Topic " + topic + " does not exist");
                }
                throw e;
            }
            int count = description.partitions().size();
            if (colon < 0) {
                for (int p = 0; p < count; p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
                continue;
            }
            for (String index : spec.substring(colon + 1).split(",")) {
                int p;
                try {
                    p = Integer.parseInt(index.trim());
                } catch (NumberFormatException e) {
                    throw new UsageException("Invalid partition '" + index + "' in --topic " + spec);
                }
                if (p < 0 || p >= count) {
                    throw new UsageException("Topic " + topic + " has no partition " + p + " (it has " + count + ")");
                }
                partitions.add(new TopicPartition(topic, p));
            }
        }
        return partitions;
    }

    private Map<TopicPartition, Long> wanted(Admin admin, Set<TopicPartition> partitions,
                                             Map<TopicPartition, Long> committed, Map<TopicPartition, Long> earliest,
                                             Map<TopicPartition, Long> latest) throws Exception {
        Map<TopicPartition, Long> wanted = new HashMap<>();
        if (target.earliest) {
            wanted.putAll(earliest);
        } else if (target.latest) {
            wanted.putAll(latest);
        } else if (target.offset != null) {
            partitions.forEach(tp -> wanted.put(tp, target.offset));
        } else if (target.shift != null) {
            for (TopicPartition tp : partitions) {
                if (!committed.containsKey(tp)) {
                    throw new CliException("Group " + group + " has no committed offset for " + tp + " to shift");
                }
                wanted.put(tp, committed.get(tp) + target.shift);
            }
        } else {
            long timestamp = parseDatetime(target.datetime);
            Map<TopicPartition, Long> byTime = offsets(admin, partitions, OffsetSpec.forTimestamp(timestamp));
            // No record at or after that time: everything is older, so start at the end.
            partitions.forEach(tp -> wanted.put(tp, byTime.get(tp) < 0 ? latest.get(tp) : byTime.get(tp)));
        }
        return wanted;
    }

    static long parseDatetime(String text) {
        if (text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeException withZone) {
            try {
                return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            } catch (DateTimeException local) {
                try {
                    return Instant.parse(text).toEpochMilli();
                } catch (DateTimeException instant) {
                    throw new UsageException("Invalid --to-datetime '" + text
                            + "': expected ISO-8601 such as 2026-01-31T12:00:00Z, or epoch milliseconds");
                }
            }
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Set<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> query = partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(query).all().get().forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    private void print(List<Move> moves) {
        if (output == OutputFormat.JSON) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("groupId", group);
            json.put("executed", execute);
            List<Map<String, Object>> partitions = new ArrayList<>();
            for (Move m : moves) {
                Map<String, Object> partition = new LinkedHashMap<>();
                partition.put("topic", m.partition().topic());
                partition.put("partition", m.partition().partition());
                partition.put("current", m.current());
                partition.put("new", m.target());
                partitions.add(partition);
            }
            json.put("partitions", partitions);
            out().println(Json.write(json));
        } else {
            Table table = new Table("TOPIC", "PARTITION", "CURRENT", "NEW");
            moves.forEach(m -> table.row(m.partition().topic(), m.partition().partition(),
                    m.current().map(String::valueOf).orElse("-"), m.target()));
            table.print(out());
            out().println(execute ? "Offsets of group " + group + " reset"
                    : "Dry run: nothing changed. Add --execute to commit these offsets.");
        }
        out().flush();
    }
}
