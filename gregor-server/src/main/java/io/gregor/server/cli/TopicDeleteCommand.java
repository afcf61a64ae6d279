package io.gregor.server.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gregor topic delete TOPIC...}. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete topics and all their records.")
final class TopicDeleteCommand extends ClientCommand {
    @Parameters(paramLabel = "TOPIC", arity = "1..*", description = "Topic(s) to delete.")
    List<String> topics;

    @Option(names = "--if-exists", description = "Succeed when a topic does not exist.")
    boolean ifExists;

    @Override
    public Integer call() throws Exception {
        try (Admin admin = admin()) {
            Map<String, KafkaFuture<Void>> results = admin.deleteTopics(topics).topicNameValues();
            for (String topic : topics) {
                try {
                    results.get(topic).get();
                    out().println("Deleted topic " + topic);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                    if (!ifExists) {
                        throw new CliException("Topic " + topic + " does not exist (use --if-exists to accept that)");
                    }
                    out().println("Topic " + topic + " does not exist");
                }
            }
        }
        return ExitCode.OK;
    }
}
