package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/** {@code gregor group describe GROUP}: state, members, and per partition committed offset, end and lag. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show a consumer group's state and members, and per partition its committed offset, "
                + "the log end offset and the lag.")
final class GroupDescribeCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "GROUP", description = "Group to describe.")
    String group;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    /** One committed partition. */
    record Position(TopicPartition partition, long committed, Optional<Long> end, Optional<String> member) {
        Optional<Long> lag() {
            return end.map(e -> Math.max(0, e - committed));
        }
    }

    @Override
    public Integer call() throws Exception {
        try (Admin admin = admin()) {
            ConsumerGroupDescription description =
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> query = committed.keySet().stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResultInfo> ends = query.isEmpty()
                    ? Map.of() : admin.listOffsets(query).all().get();
            Map<TopicPartition, String> owners = new HashMap<>();
            for (MemberDescription m : description.members()) {
                m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m.consumerId()));
            }
            List<Position> positions = committed.entrySet().stream()
                    .filter(e -> e.getValue() != null)
                    .map(e -> new Position(e.getKey(), e.getValue().offset(),
                            Optional.ofNullable(ends.get(e.getKey())).map(ListOffsetsResultInfo::offset),
                            Optional.ofNullable(owners.get(e.getKey()))))
                    .sorted(Comparator.comparing((Position p) -> p.partition().topic())
                            .thenComparingInt(p -> p.partition().partition()))
                    .toList();
            if (output == OutputFormat.JSON) {
                printJson(description, positions);
            } else {
                printText(description, positions);
            }
        }
        return ExitCode.OK;
    }

    private void printText(ConsumerGroupDescription d, List<Position> positions) {
        out().println("Group: " + d.groupId() + "   state: " + d.groupState() + "   members: " + d.members().size()
                + "   coordinator: " + (d.coordinator() == null ? "none" : d.coordinator().id()));
        if (!d.members().isEmpty()) {
            Table members = new Table("MEMBER", "CLIENT", "HOST", "PARTITIONS");
            d.members().forEach(m -> members.row(m.consumerId(), m.clientId(), m.host(),
                    m.assignment().topicPartitions().size()));
            members.print(out());
        }
        if (positions.isEmpty()) {
            out().println("No committed offsets");
        } else {
            Table table = new Table("TOPIC", "PARTITION", "COMMITTED", "END", "LAG", "MEMBER");
            positions.forEach(p -> table.row(p.partition().topic(), p.partition().partition(), p.committed(),
                    p.end().map(String::valueOf).orElse("-"), p.lag().map(String::valueOf).orElse("-"),
                    p.member().orElse("-")));
            table.print(out());
        }
        out().flush();
    }

    private void printJson(ConsumerGroupDescription d, List<Position> positions) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("groupId", d.groupId());
        json.put("state", String.valueOf(d.groupState()));
        json.put("coordinator", d.coordinator() == null ? null : d.coordinator().id());
        List<Map<String, Object>> members = new ArrayList<>();
        for (MemberDescription m : d.members()) {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("memberId", m.consumerId());
            member.put("clientId", m.clientId());
            member.put("host", m.host());
            member.put("partitions", m.assignment().topicPartitions().stream().map(TopicPartition::toString).toList());
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
