package io.gregor.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gregor quota ...}: client quotas of users and client ids, kept in the cluster metadata (KIP-546). */
@Command(name = "quota", mixinStandardHelpOptions = true,
        description = "List client quotas (byte rates of users and client ids), set and delete them.",
        subcommands = {QuotaListCommand.class, QuotaSetCommand.class, QuotaDeleteCommand.class})
final class QuotaCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing sub-command: list, set or delete");
    }
}
