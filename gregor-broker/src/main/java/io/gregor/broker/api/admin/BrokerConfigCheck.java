package io.gregor.broker.api.admin;

import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.record.ConfigResource;
import java.util.Map;
import java.util.Optional;

/**
 * What this broker knows about a change of dynamic broker configs that the controller cannot: that
 * its key stores load and keep the certificate's identity, that the values combine with its
 * server.properties. AlterConfigs and IncrementalAlterConfigs ask it before the change is
 * committed, so a value that cannot apply is refused rather than left half applied.
 */
@FunctionalInterface
public interface BrokerConfigCheck {
    /** Checks nothing: nodes whose own configs are not concerned. */
    BrokerConfigCheck NONE = (resource, configs) -> Optional.empty();

    /**
     * @param resource a BROKER resource: one broker's id, or "" for the cluster default
     * @param configs  all of its dynamic configs as they would be after the change
     * @return why this broker could not take them, or empty
     */
    Optional<ApiError> check(ConfigResource resource, Map<String, String> configs);
}
