package io.gregor.server.cli;

import java.time.Instant;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RenewDelegationTokenOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gregor token renew HMAC}: by its owner or a renewer, never beyond its maximum lifetime. */
@Command(name = "renew", mixinStandardHelpOptions = true, description = "Renew a delegation token.")
final class TokenRenewCommand extends ClientCommand {
    @Parameters(paramLabel = "HMAC", converter = TokenHmacConverter.class, description = "The token's HMAC (base64).")
    TokenHmacConverter.Hmac hmac;

    @Option(names = "--period-ms", paramLabel = "MS", defaultValue = "-1",
            description = "How long from now the token lives; -1 (default): the broker's delegation.token.expiry.time.ms.")
    long periodMs;

    @Override
    public Integer call() throws Exception {
        long expiry;
        try (Admin admin = admin()) {
            RenewDelegationTokenOptions options = new RenewDelegationTokenOptions().renewTimePeriodMs(periodMs);
            expiry = admin.renewDelegationToken(hmac.bytes(), options).expiryTimestamp().get();
        }
        out().println("Renewed the token: it expires at " + Instant.ofEpochMilli(expiry));
        return ExitCode.OK;
    }
}
