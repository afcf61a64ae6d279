package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeDelegationTokenOptions;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.token.delegation.DelegationToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gregor token describe}: the tokens the logged-in user may see (its own, those it renews,
 * and those its ACLs let it describe), or those of the owners named.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "List the delegation tokens you may see, with their HMACs.")
final class TokenDescribeCommand extends ClientCommand {
    @Option(names = "--owner", paramLabel = "PRINCIPAL", converter = KafkaPrincipalConverter.class,
            description = "Only the tokens of this owner, e.g. User:alice; repeatable.")
    List<KafkaPrincipal> owners;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        // no --owner: null, all tokens (an empty list would ask for none)
        DescribeDelegationTokenOptions options = new DescribeDelegationTokenOptions().owners(owners);
        List<DelegationToken> tokens;
        try (Admin admin = admin()) {
            tokens = new ArrayList<>(admin.describeDelegationToken(options).delegationTokens().get());
        }
        tokens.sort(Comparator.comparing((DelegationToken token) -> token.tokenInfo().issueTimestamp())
                .thenComparing(token -> token.tokenInfo().tokenId()));
        TokenPrinter.print(out(), output, tokens);
        return ExitCode.OK;
    }
}
