package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gregor quota set ENTITY --producer-byte-rate N --consumer-byte-rate N --controller-mutation-rate R}:
 * the quotas not given stay.
 */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = "Set an entity's byte rates or partition mutation rate; the quotas not given stay as they are.")
final class QuotaSetCommand extends ClientCommand {
    @Mixin
    QuotaEntityOptions entity;

    @Option(names = "--producer-byte-rate", paramLabel = "BYTES",
            description = "Bytes per second the entity's clients may produce to each broker.")
    Long producerByteRate;

    @Option(names = "--consumer-byte-rate", paramLabel = "BYTES",
            description = "Bytes per second the entity's clients may fetch from each broker.")
    Long consumerByteRate;

    @Option(names = "--controller-mutation-rate", paramLabel = "PARTITIONS",
            description = "Partitions per second the entity's clients may create or delete.")
    Double controllerMutationRate;

    @Override
    public Integer call() throws Exception {
        ClientQuotaEntity target = entity.entity();
        List<ClientQuotaAlteration.Op> ops = new ArrayList<>();
        if (producerByteRate != null) {
            ops.add(new ClientQuotaAlteration.Op("producer_byte_rate", producerByteRate.doubleValue()));
        }
        if (consumerByteRate != null) {
            ops.add(new ClientQuotaAlteration.Op("consumer_byte_rate", consumerByteRate.doubleValue()));
        }
        if (controllerMutationRate != null) {
            ops.add(new ClientQuotaAlteration.Op("controller_mutation_rate", controllerMutationRate));
        }
        if (ops.isEmpty()) {
            throw new UsageException("Give a quota to set: --producer-byte-rate BYTES, --consumer-byte-rate BYTES, "
                    + "--controller-mutation-rate PARTITIONS");
        }
        try (Admin admin = admin()) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(target, ops))).all().get();
        }
        List<String> set = ops.stream().map(op -> op.key() + "=" + QuotaValue.of(op.value())).toList();
        out().println("Set " + String.join(", ", set) + " for " + QuotaEntityOptions.describe(target));
        return ExitCode.OK;
    }
}
