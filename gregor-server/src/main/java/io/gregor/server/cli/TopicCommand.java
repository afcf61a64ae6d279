package io.gregor.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gregor topic ...}: create, list, describe, alter, delete topics, add partitions, reassign them. */
@Command(name = "topic", mixinStandardHelpOptions = true,
        description = "Create, list, describe, alter and delete topics; add and reassign partitions.",
        subcommands = {
                TopicCreateCommand.class,
                TopicListCommand.class,
                TopicDescribeCommand.class,
                TopicAlterCommand.class,
                TopicDeleteCommand.class,
                TopicAddPartitionsCommand.class,
                TopicReassignCommand.class
        })
final class TopicCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "Missing sub-command: create, list, describe, alter, delete, add-partitions or reassign");
    }
}
