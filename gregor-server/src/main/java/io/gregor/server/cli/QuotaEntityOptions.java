package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import picocli.CommandLine.Option;

/**
 * The client quota entity a quota command is about, as kafka-configs names it: a user, a client
 * id, or both; each either by name or the default (the quota of every user or client id without
 * its own).
 */
final class QuotaEntityOptions {
    /** How the default entity of a type is shown, as Kafka's tools show it. */
    static final String DEFAULT = "<default>";

    @Option(names = "--user", paramLabel = "USER", description = "A user: the principal's name (alice for User:alice).")
    String user;

    @Option(names = "--default-user", description = "The default user quota: every user without one of its own.")
    boolean defaultUser;

    @Option(names = "--client-id", paramLabel = "ID", description = "A client id.")
    String clientId;

    @Option(names = "--default-client-id",
            description = "The default client-id quota: every client id without one of its own.")
    boolean defaultClientId;

    boolean isEmpty() {
        return user == null && !defaultUser && clientId == null && !defaultClientId;
    }

    /** The entity named; a user and a client id may be given together. */
    ClientQuotaEntity entity() {
        if (user != null && defaultUser) {
            throw new UsageException("Give either --user or --default-user, not both");
        }
        if (clientId != null && defaultClientId) {
            throw new UsageException("Give either --client-id or --default-client-id, not both");
        }
        if (isEmpty()) {
            throw new UsageException("Name the entity: --user USER or --default-user, --client-id ID or "
                    + "--default-client-id, or a user and a client id");
        }
        Map<String, String> parts = new HashMap<>();
        if (user != null || defaultUser) {
            parts.put(ClientQuotaEntity.USER, user);
        }
        if (clientId != null || defaultClientId) {
            parts.put(ClientQuotaEntity.CLIENT_ID, clientId);
        }
        return new ClientQuotaEntity(parts);
    }

    /** A filter component per part of the entity, matching its name or its default exactly. */
    static List<ClientQuotaFilterComponent> filterComponents(ClientQuotaEntity entity) {
        List<ClientQuotaFilterComponent> components = new ArrayList<>();
        entity.entries().forEach((type, name) -> components.add(name == null
                ? ClientQuotaFilterComponent.ofDefaultEntity(type) : ClientQuotaFilterComponent.ofEntity(type, name)));
        return components;
    }

    /** An entity as one line of text: {@code user=alice, client-id=<default>}. */
    static String describe(ClientQuotaEntity entity) {
        StringBuilder text = new StringBuilder();
        for (String type : new String[] {ClientQuotaEntity.USER, ClientQuotaEntity.CLIENT_ID}) {
            if (entity.entries().containsKey(type)) {
                String name = entity.entries().get(type);
                text.append(text.isEmpty() ? "" : ", ").append(type).append('=').append(name == null ? DEFAULT : name);
            }
        }
        return text.toString();
    }
}
