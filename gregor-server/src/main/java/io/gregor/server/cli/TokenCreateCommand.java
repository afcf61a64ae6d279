package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateDelegationTokenOptions;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.token.delegation.DelegationToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gregor token create}: a token for the logged-in user, or for --owner (KIP-373). */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a delegation token; prints its id and HMAC, the user name and password its users log "
                + "in with (SCRAM, tokenauth=true).")
final class TokenCreateCommand extends ClientCommand {
    @Option(names = "--renewer", paramLabel = "PRINCIPAL", converter = KafkaPrincipalConverter.class,
            description = "A principal that may renew and expire the token besides its owner, e.g. User:scheduler; "
                    + "repeatable.")
    List<KafkaPrincipal> renewers = new ArrayList<>();

    @Option(names = "--owner", paramLabel = "PRINCIPAL", converter = KafkaPrincipalConverter.class,
            description = "The token's owner, if not the logged-in user (needs CREATE_TOKENS on that user).")
    KafkaPrincipal owner;

    @Option(names = "--max-lifetime-ms", paramLabel = "MS", defaultValue = "-1",
            description = "The token's maximum lifetime; -1 (default): the broker's delegation.token.max.lifetime.ms.")
    long maxLifetimeMs;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        CreateDelegationTokenOptions options = new CreateDelegationTokenOptions().renewers(renewers)
                .maxlifeTimeMs(maxLifetimeMs);
        if (owner != null) {
            options.owner(owner);
        }
        DelegationToken token;
        try (Admin admin = admin()) {
            token = admin.createDelegationToken(options).delegationToken().get();
        }
        TokenPrinter.print(out(), output, List.of(token));
        return ExitCode.OK;
    }
}
