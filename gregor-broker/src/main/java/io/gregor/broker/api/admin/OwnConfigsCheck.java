package io.gregor.broker.api.admin;

import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.ConfigResourceType;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a broker that passes config changes on to the active controller checks first: a change of
 * its own dynamic configs (its listeners' key stores, values that must combine with its
 * server.properties) can be checked only where it applies, and the controller checks only its
 * own. Kafka's brokers check theirs the same way before they forward. Only resources the client
 * may alter are checked here (the controller refuses the others as it would anyway), and a
 * request naming a resource twice is left whole to the controller, which refuses it.
 */
final class OwnConfigsCheck {
    private final BrokerConfigCheck check;
    private final Set<String> seen = new HashSet<>();
    private boolean duplicates;

    OwnConfigsCheck(BrokerConfigCheck check) {
        this.check = check;
    }

    /**
     * Why the resource's change cannot apply on this broker, if it cannot.
     *
     * @param after its dynamic configs as they would be after the change
     */
    Optional<ApiError> refusal(RequestContext context, byte typeCode, String name,
                               Supplier<Map<String, String>> after) {
        duplicates |= !seen.add(typeCode + "/" + name);
        Optional<ConfigResource> resource = ConfigResources.parse(typeCode, name);
        if (duplicates || resource.isEmpty() || resource.get().type() != ConfigResourceType.BROKER
                || ConfigResources.alterRefused(context, resource.get()).isPresent()) {
            return Optional.empty();
        }
        return check.check(resource.get(), after.get());
    }

    /** Whether a resource came twice, so that the request must go to the controller whole. */
    boolean sawDuplicates() {
        return duplicates;
    }
}
