package io.gregor.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gregor transactions ...}: the transactional ids the transaction coordinators know. */
@Command(name = "transactions", mixinStandardHelpOptions = true,
        description = "List and describe transactional producers and their open transactions.",
        subcommands = {TransactionListCommand.class, TransactionDescribeCommand.class})
final class TransactionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing sub-command: list or describe");
    }
}
