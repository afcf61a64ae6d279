package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gregor group describe GROUP}: protocol (classic or consumer), state, members with their
 * assignments, and per partition the committed offset, log end offset and lag. A partition is
 * shown when the group committed an offset for it or a member is assigned it.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show a consumer group's protocol, state and members with their partitions, and per "
                + "partition its committed offset, the log end offset and the lag.")
final class GroupDescribeCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "GROUP", description = "Group to describe.")
    String group;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    /** One partition of the group: committed or assigned or both. */
    record Position(TopicPartition partition, Optional<Long> committed, Optional<Long> end, Optional<String> member) {
        Optional<Long> lag() {
            return committed.flatMap(c -> end.map(e -> Math.max(0, e - c)));
        }
    }

    @Override
    public Integer call() throws Exception {
        try (Admin admin = admin()) {
            ConsumerGroupDescription description =
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((tp, offset) -> {
                if (offset != null) {
                    committed.put(tp, offset);
                }
            });
            Map<TopicPartition, String> owners = new HashMap<>();
            for (MemberDescription m : description.members()) {
                m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m.consumerId()));
            }
            Set<TopicPartition> partitions = new TreeSet<>(Comparator.comparing(TopicPartition::topic)
                    .thenComparingInt(TopicPartition::partition));
            partitions.addAll(committed.keySet());
            partitions.addAll(owners.keySet());
            Map<TopicPartition, OffsetSpec> query = partitions.stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResultInfo> ends = query.isEmpty()
                    ? Map.of() : admin.listOffsets(query).all().get();
            List<Position> positions = partitions.stream()
                    .map(tp -> new Position(tp, Optional.ofNullable(committed.get(tp)).map(OffsetAndMetadata::offset),
                            Optional.ofNullable(ends.get(tp)).map(ListOffsetsResultInfo::offset),
                            Optional.ofNullable(owners.get(tp))))
                    .toList();
            if (output == OutputFormat.JSON) {
                printJson(description, positions);
            } else {
                printText(description, positions);
            }
        }
        return ExitCode.OK;
    }

    /** "classic" or "consumer" (KIP-848), as Kafka names group types. */
    private static String protocol(ConsumerGroupDescription d) {
        return String.valueOf(d.type()).toLowerCase(Locale.ROOT);
    }

    /** A member's partitions, compactly: {@code orders:0,1 payments:2}. */
    private static String assignment(MemberDescription m) {
        Map<String, Set<Integer>> byTopic = new TreeMap<>();
        m.assignment().topicPartitions().forEach(tp ->
                byTopic.computeIfAbsent(tp.topic(), t -> new TreeSet<>()).add(tp.partition()));
        if (byTopic.isEmpty()) {
            return "-";
        }
        return byTopic.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(",")))
                .collect(Collectors.joining(" "));
    }

    private void printText(ConsumerGroupDescription d, List<Position> positions) {
        out().println("Group: " + d.groupId() + "   protocol: " + protocol(d) + "   state: " + d.groupState()
                + "   assignor: " + (d.partitionAssignor() == null || d.partitionAssignor().isEmpty()
                        ? "-" : d.partitionAssignor())
                + "   members: " + d.members().size()
                + "   coordinator: " + (d.coordinator() == null ? "none" : d.coordinator().id()));
        if (!d.members().isEmpty()) {
            Table members = new Table("MEMBER", "CLIENT", "HOST", "ASSIGNMENT");
            d.members().forEach(m -> members.row(m.consumerId(), m.clientId(), m.host(), assignment(m)));
            members.print(out());
        }
        if (positions.isEmpty()) {
            out().println("No committed offsets");
        } else {
            Table table = new Table("TOPIC", "PARTITION", "COMMITTED", "END", "LAG", "MEMBER");
            positions.forEach(p -> table.row(p.partition().topic(), p.partition().partition(),
                    p.committed().map(String::valueOf).orElse("-"), p.end().map(String::valueOf).orElse("-"),
                    p.lag().map(String::valueOf).orElse("-"), p.member().orElse("-")));
            table.print(out());
        }
        out().flush();
    }

    private void printJson(ConsumerGroupDescription d, List<Position> positions) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("groupId", d.groupId());
        json.put("protocol", protocol(d));
        json.put("state", String.valueOf(d.groupState()));
        json.put("assignor", d.partitionAssignor());
        json.put("coordinator", d.coordinator() == null ? null : d.coordinator().id());
        List<Map<String, Object>> members = new ArrayList<>();
        for (MemberDescription m : d.members()) {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("memberId", m.consumerId());
            member.put("instanceId", m.groupInstanceId());
            member.put("clientId", m.clientId());
            member.put("host", m.host());
            member.put("partitions", m.assignment().topicPartitions().stream()
                    .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                    .map(TopicPartition::toString).toList());
            members.add(member);
        }
        json.put("members", members);
        List<Map<String, Object>> offsets = new ArrayList<>();
        for (Position p : positions) {
            Map<String, Object> offset = new LinkedHashMap<>();
            offset.put("topic", p.partition().topic());
            offset.put("partition", p.partition().partition());
            offset.put("committed", p.committed());
            offset.put("end", p.end());
            offset.put("lag", p.lag());
            offset.put("member", p.member());
            offsets.add(offset);
        }
        json.put("offsets", offsets);
        out().println(Json.write(json));
        out().flush();
    }
}
