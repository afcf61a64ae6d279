package io.gregor.server.cli;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gregor topic add-partitions TOPIC --partitions N}: grows a topic to N partitions. */
@Command(name = "add-partitions", mixinStandardHelpOptions = true,
        description = "Grow a topic to a larger number of partitions (keys may then map to other partitions).")
final class TopicAddPartitionsCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "TOPIC", description = "Topic to grow.")
    String topic;

    @Option(names = {"-p", "--partitions"}, paramLabel = "N", required = true,
            description = "The new total number of partitions.")
    int partitions;

    @Override
    public Integer call() throws Exception {
        if (partitions < 1) {
            throw new UsageException("Invalid partition count " + partitions + ": must be at least 1");
        }
        try (Admin admin = admin()) {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new CliException("Topic " + topic + " does not exist (see 'gregor topic list')");
            }
            throw e;
        }
        out().println("Topic " + topic + " now has " + partitions + " partitions");
        return ExitCode.OK;
    }
}
