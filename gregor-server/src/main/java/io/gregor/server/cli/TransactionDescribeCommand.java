package io.gregor.server.cli;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gregor transactions describe ID}: the producer of a transactional id and its current
 * transaction: state, when it started, its timeout and the partitions it writes to.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show a transactional id's producer, coordinator and current transaction: state, start, "
                + "timeout and partitions.")
final class TransactionDescribeCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "TRANSACTIONAL_ID", description = "Transactional id to describe.")
    String transactionalId;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        TransactionDescription d;
        try (Admin admin = admin()) {
            d = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get();
        }
        List<TopicPartition> partitions = d.topicPartitions().stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .toList();
        if (output == OutputFormat.JSON) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("transactionalId", transactionalId);
            json.put("coordinator", d.coordinatorId());
            json.put("state", d.state().toString());
            json.put("producerId", d.producerId());
            json.put("producerEpoch", d.producerEpoch());
            json.put("transactionTimeoutMs", d.transactionTimeoutMs());
            json.put("transactionStartTimeMs", boxed(d.transactionStartTimeMs()));
            json.put("partitions", partitions.stream().map(TopicPartition::toString).toList());
            out().println(Json.write(json));
        } else {
            out().println("Transactional id: " + transactionalId + "   state: " + d.state()
                    + "   coordinator: " + d.coordinatorId());
            out().println("Producer id: " + d.producerId() + "   epoch: " + d.producerEpoch()
                    + "   timeout: " + d.transactionTimeoutMs() + " ms"
                    + "   started: " + (d.transactionStartTimeMs().isPresent()
                    ? Instant.ofEpochMilli(d.transactionStartTimeMs().getAsLong()).toString() : "-"));
            if (partitions.isEmpty()) {
                out().println("No partitions in the transaction");
            } else {
                Table table = new Table("TOPIC", "PARTITION");
                partitions.forEach(p -> table.row(p.topic(), p.partition()));
                table.print(out());
            }
        }
        out().flush();
        return ExitCode.OK;
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
