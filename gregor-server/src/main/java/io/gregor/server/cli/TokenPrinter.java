package io.gregor.server.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.token.delegation.DelegationToken;
import org.apache.kafka.common.security.token.delegation.TokenInformation;

/** Delegation tokens as a table or JSON, for {@code token create} and {@code token describe}. */
final class TokenPrinter {
    private TokenPrinter() {
    }

    static void print(PrintWriter out, OutputFormat format, List<DelegationToken> tokens) {
        if (format == OutputFormat.JSON) {
            List<Map<String, Object>> json = new ArrayList<>();
            for (DelegationToken token : tokens) {
                TokenInformation info = token.tokenInfo();
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("tokenId", info.tokenId());
                entry.put("hmac", token.hmacAsBase64String());
                entry.put("owner", info.owner().toString());
                entry.put("requester", info.tokenRequester().toString());
                entry.put("renewers", info.renewers().stream().map(KafkaPrincipal::toString).toList());
                entry.put("issued", Instant.ofEpochMilli(info.issueTimestamp()).toString());
                entry.put("expires", Instant.ofEpochMilli(info.expiryTimestamp()).toString());
                entry.put("maxLifetimeEnds", Instant.ofEpochMilli(info.maxTimestamp()).toString());
                json.add(entry);
            }
            out.println(Json.write(json));
        } else if (tokens.isEmpty()) {
            out.println("No delegation tokens");
        } else {
            Table table = new Table("TOKEN-ID", "HMAC", "OWNER", "REQUESTER", "RENEWERS", "EXPIRES", "MAX-LIFETIME-ENDS");
            for (DelegationToken token : tokens) {
                TokenInformation info = token.tokenInfo();
                String renewers = info.renewers().stream().map(KafkaPrincipal::toString)
                        .collect(Collectors.joining(","));
                table.row(info.tokenId(), token.hmacAsBase64String(), info.owner(), info.tokenRequester(),
                        renewers.isEmpty() ? "-" : renewers, Instant.ofEpochMilli(info.expiryTimestamp()),
                        Instant.ofEpochMilli(info.maxTimestamp()));
            }
            table.print(out);
        }
    }
}
