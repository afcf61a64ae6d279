package io.gregor.server.cli;

import java.io.PrintWriter;
import java.util.List;
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
        footer = {"", "Start a broker with 'gregor server'; see 'gregor <command> --help' for each command."})
public final class GregorCommand implements Runnable {
    /** The commands, in the order --help lists them. */
    private static final List<Class<?>> COMMANDS = List.of(
            ServerCommand.class,
            LocalClusterCommand.class,
            TopicCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            GroupCommand.class,
            UserCommand.class,
            TokenCommand.class,
            AclCommand.class,
            QuotaCommand.class,
            TransactionCommand.class,
            ClusterCommand.class,
            AutoComplete.GenerateCompletion.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show stack traces and client logs when something fails.")
    boolean verbose;

    public static void main(String[] args) {
        Main.main(args);
    }

    /** Parses and runs a command line other than a plain {@code gregor server}; returns the exit code. */
    static int execute(String[] args) {
        return commandLineFor(args, CommandLine.defaultFactory()).execute(args);
    }

    /**
     * The command line that runs these arguments. {@code gregor server} is parsed by one that
     * knows only the server command: picocli reads every command's options by reflection when
     * it builds the whole tree, which took about a quarter of a broker's start-up to accepting
     * connections.
     */
    static CommandLine commandLineFor(String[] args, CommandLine.IFactory factory) {
        return args.length > 0 && "server".equals(args[0])
                ? commandLine(factory, List.of(ServerCommand.class))
                : commandLine(factory);
    }

    /** The fully configured command line, also what in-process tests drive. */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** With a factory of command objects, so tests can put in a server command with a fake broker. */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cmd = commandLine(factory, COMMANDS);
        cmd.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cmd;
    }

    /** The command line with only some of the commands. */
    private static CommandLine commandLine(CommandLine.IFactory factory, List<Class<?>> commands) {
        CommandLine cmd = new CommandLine(new GregorCommand(), factory);
        commands.forEach(cmd::addSubcommand);
        ErrorReporter reporter = new ErrorReporter();
        // set after the subcommands are added: the setters apply to the subcommands present
        return cmd.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(reporter)
                .setParameterExceptionHandler(reporter);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command, e.g. 'gregor server'");
    }
}
