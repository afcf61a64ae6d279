package io.gregor.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gregor acl ...}: ACLs, kept in the cluster metadata (KIP-11, KIP-290). */
@Command(name = "acl", mixinStandardHelpOptions = true,
        description = "List ACLs, add and remove them.",
        subcommands = {AclListCommand.class, AclAddCommand.class, AclRemoveCommand.class})
final class AclCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing sub-command: list, add or remove");
    }
}
