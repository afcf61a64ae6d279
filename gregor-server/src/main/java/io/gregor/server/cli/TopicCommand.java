package io.gregor.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gregor topic ...}: create, list, describe, alter, delete topics and add partitions. */
@Command(name = "topic", mixinStandardHelpOptions = true,
        description = "Create, list, describe, alter and delete topics.",
        subcommands = {
                TopicCreateCommand.class,
                TopicListCommand.class,
                TopicDescribeCommand.class,
                TopicAlterCommand.class,
                TopicDeleteCommand.class,
                TopicAddPartitionsCommand.class
        })
final class TopicCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "Missing sub-command: create, list, describe, alter, delete or add-partitions");
    }
}
