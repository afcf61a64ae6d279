package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gregor quota list}: every entity with a quota, or those naming the given user or client id. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List client quotas: all, or those of the entities that name the given user or client id.")
final class QuotaListCommand extends ClientCommand {
    @Mixin
    QuotaEntityOptions entity;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        ClientQuotaFilter filter = entity.isEmpty() ? ClientQuotaFilter.all()
                : ClientQuotaFilter.contains(QuotaEntityOptions.filterComponents(entity.entity()));
        Map<ClientQuotaEntity, Map<String, Double>> quotas;
        try (Admin admin = admin()) {
            quotas = admin.describeClientQuotas(filter).entities().get();
        }
        List<Map.Entry<ClientQuotaEntity, Map<String, Double>>> sorted = new ArrayList<>(quotas.entrySet());
        sorted.sort(Comparator.comparing(e -> QuotaEntityOptions.describe(e.getKey())));
        if (output == OutputFormat.JSON) {
            List<Map<String, Object>> json = new ArrayList<>();
            for (Map.Entry<ClientQuotaEntity, Map<String, Double>> e : sorted) {
                Map<String, Object> item = new LinkedHashMap<>();
                // a null name is the default entity of its type, as in the Admin API
                item.put("entity", new TreeMap<>(e.getKey().entries()));
                Map<String, Object> values = new TreeMap<>();
                e.getValue().forEach((key, value) -> values.put(key, QuotaValue.of(value)));
                item.put("quotas", values);
                json.add(item);
            }
            out().println(Json.write(json));
        } else if (sorted.isEmpty()) {
            out().println("No client quotas");
        } else {
            Table table = new Table("USER", "CLIENT-ID", "QUOTA", "VALUE");
            for (Map.Entry<ClientQuotaEntity, Map<String, Double>> e : sorted) {
                new TreeMap<>(e.getValue()).forEach((key, value) -> table.row(part(e.getKey(), ClientQuotaEntity.USER),
                        part(e.getKey(), ClientQuotaEntity.CLIENT_ID), key, QuotaValue.of(value)));
            }
            table.print(out());
        }
        return ExitCode.OK;
    }

    /** An entity's name of one type: {@code <default>} for the default, {@code -} when it names none. */
    private static String part(ClientQuotaEntity entity, String type) {
        if (!entity.entries().containsKey(type)) {
            return "-";
        }
        String name = entity.entries().get(type);
        return name == null ? QuotaEntityOptions.DEFAULT : name;
    }
}
