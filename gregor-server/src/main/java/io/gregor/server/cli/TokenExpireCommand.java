package io.gregor.server.cli;

import java.time.Instant;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ExpireDelegationTokenOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gregor token expire HMAC}: at once (the default), or after a period. */
@Command(name = "expire", mixinStandardHelpOptions = true,
        description = "Expire a delegation token, at once unless --period-ms is given.")
final class TokenExpireCommand extends ClientCommand {
    @Parameters(paramLabel = "HMAC", converter = TokenHmacConverter.class, description = "The token's HMAC (base64).")
    TokenHmacConverter.Hmac hmac;

    @Option(names = "--period-ms", paramLabel = "MS", defaultValue = "-1",
            description = "How long from now the token still lives; -1 (default): it is removed now.")
    long periodMs;

    @Override
    public Integer call() throws Exception {
        long expiry;
        try (Admin admin = admin()) {
            ExpireDelegationTokenOptions options = new ExpireDelegationTokenOptions().expiryTimePeriodMs(periodMs);
            expiry = admin.expireDelegationToken(hmac.bytes(), options).expiryTimestamp().get();
        }
        out().println(periodMs < 0 ? "Expired the token" : "The token expires at " + Instant.ofEpochMilli(expiry));
        return ExitCode.OK;
    }
}
