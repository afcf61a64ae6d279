package io.gregor.server.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code gregor}: the broker and the operator's command line in one binary. */
@Command(name = "gregor",
        mixinStandardHelpOptions = true,
        versionProvider = GregorVersion.class,
        description = "Gregor: an event streaming platform that speaks the Apache Kafka protocol.",
        subcommands = {
                ServerCommand.class,
                LocalClusterCommand.class,
                TopicCommand.class,
                ProduceCommand.class,
                ConsumeCommand.class,
                GroupCommand.class,
                TransactionCommand.class,
                ClusterCommand.class,
                AutoComplete.GenerateCompletion.class
        },
        footer = {"", "Start a broker with 'gregor server'; see 'gregor <command> --help' for each command."})
public final class GregorCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show stack traces and client logs when something fails.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The fully configured command line, also what in-process tests drive. */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** With a factory of command objects, so tests can put in a server command with a fake broker. */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        ErrorReporter reporter = new ErrorReporter();
        CommandLine cmd = new CommandLine(new GregorCommand(), factory)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(reporter)
                .setParameterExceptionHandler(reporter);
        cmd.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cmd;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command, e.g. 'gregor server'");
    }
}
