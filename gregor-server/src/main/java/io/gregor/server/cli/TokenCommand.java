package io.gregor.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gregor token ...}: delegation tokens (KIP-48), kept in the cluster metadata. The brokers
 * manage tokens only for a client that authenticated (SASL or a TLS certificate) without a token,
 * so these commands need the client settings of such a login ({@code -X}).
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Create, renew, expire and describe delegation tokens.",
        subcommands = {TokenCreateCommand.class, TokenRenewCommand.class, TokenExpireCommand.class,
                TokenDescribeCommand.class})
final class TokenCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing sub-command: create, renew, expire or describe");
    }
}
