package io.gregor.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gregor user ...}: users' SCRAM credentials, kept in the cluster metadata (KIP-554). */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "List users' SCRAM credentials, set and delete them.",
        subcommands = {UserListCommand.class, UserSetScramCommand.class, UserDeleteScramCommand.class})
final class UserCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing sub-command: list, set-scram or delete-scram");
    }
}
