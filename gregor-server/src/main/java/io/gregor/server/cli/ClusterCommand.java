package io.gregor.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gregor cluster ...}. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Inspect the cluster.",
        subcommands = ClusterDescribeCommand.class)
final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing sub-command: describe");
    }
}
