package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gregor transactions list}: every transactional id of the cluster, with its producer id and state. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List transactional ids with their producer id and transaction state.")
final class TransactionListCommand extends ClientCommand {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--state", paramLabel = "STATE",
            description = "Only transactions in this state (Empty, Ongoing, PrepareCommit, PrepareAbort, "
                    + "CompleteCommit, CompleteAbort); may be repeated.")
    List<String> states = new ArrayList<>();

    @Option(names = "--min-duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Only transactions open longer than this, e.g. 30s or 5m.")
    java.time.Duration minDuration;

    @Override
    public Integer call() throws Exception {
        ListTransactionsOptions options = new ListTransactionsOptions()
                .filterStates(states.stream().map(TransactionListCommand::state).toList());
        if (minDuration != null) {
            options.filterOnDuration(minDuration.toMillis());
        }
        List<TransactionListing> listings;
        try (Admin admin = admin()) {
            listings = new ArrayList<>(admin.listTransactions(options).all().get());
        }
        listings.sort(Comparator.comparing(TransactionListing::transactionalId));
        if (output == OutputFormat.JSON) {
            List<Map<String, Object>> json = new ArrayList<>();
            for (TransactionListing listing : listings) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("transactionalId", listing.transactionalId());
                entry.put("producerId", listing.producerId());
                entry.put("state", listing.state().toString());
                json.add(entry);
            }
            out().println(Json.write(json));
        } else if (listings.isEmpty()) {
            out().println("No transactional ids");
        } else {
            Table table = new Table("TRANSACTIONAL ID", "PRODUCER ID", "STATE");
            listings.forEach(l -> table.row(l.transactionalId(), l.producerId(), l.state()));
            table.print(out());
        }
        return ExitCode.OK;
    }

    private static TransactionState state(String name) {
        TransactionState state = TransactionState.parse(name);
        if (state == TransactionState.UNKNOWN) {
            throw new UsageException("Unknown transaction state '" + name + "': one of Empty, Ongoing, "
                    + "PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort");
        }
        return state;
    }
}
