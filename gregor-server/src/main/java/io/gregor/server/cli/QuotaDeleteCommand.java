package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gregor quota delete ENTITY [--producer-byte-rate] [--consumer-byte-rate] [--controller-mutation-rate]}:
 * without one, all of them.
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete an entity's quotas: those named, or all of them; its clients then fall back to "
                + "the next quota that applies to them, or none.")
final class QuotaDeleteCommand extends ClientCommand {
    @Mixin
    QuotaEntityOptions entity;

    @Option(names = "--producer-byte-rate", description = "Delete the producer byte rate.")
    boolean producerByteRate;

    @Option(names = "--consumer-byte-rate", description = "Delete the consumer byte rate.")
    boolean consumerByteRate;

    @Option(names = "--controller-mutation-rate", description = "Delete the partition mutation rate.")
    boolean controllerMutationRate;

    @Override
    public Integer call() throws Exception {
        ClientQuotaEntity target = entity.entity();
        try (Admin admin = admin()) {
            List<String> keys = new ArrayList<>();
            if (producerByteRate) {
                keys.add("producer_byte_rate");
            }
            if (consumerByteRate) {
                keys.add("consumer_byte_rate");
            }
            if (controllerMutationRate) {
                keys.add("controller_mutation_rate");
            }
            if (keys.isEmpty()) {
                keys.addAll(new TreeSet<>(setQuotas(admin, target).keySet()));
            }
            if (keys.isEmpty()) {
                throw new CliException("No quotas are set for " + QuotaEntityOptions.describe(target));
            }
            List<ClientQuotaAlteration.Op> ops = keys.stream().map(key -> new ClientQuotaAlteration.Op(key, null))
                    .toList();
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(target, ops))).all().get();
            out().println("Deleted " + String.join(", ", keys) + " of " + QuotaEntityOptions.describe(target));
        }
        return ExitCode.OK;
    }

    /** The quotas set on exactly this entity. */
    private static Map<String, Double> setQuotas(Admin admin, ClientQuotaEntity target) throws Exception {
        return admin.describeClientQuotas(ClientQuotaFilter.containsOnly(QuotaEntityOptions.filterComponents(target)))
                .entities().get()
                .getOrDefault(target, Map.of());
    }
}
