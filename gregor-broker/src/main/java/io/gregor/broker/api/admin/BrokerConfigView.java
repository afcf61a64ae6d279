package io.gregor.broker.api.admin;

import java.util.List;
import java.util.Optional;

/**
 * The broker's static configuration as DescribeConfigs shows it; the broker assembly adapts
 * BrokerConfig to it. Dynamic overrides are not here: they live in the metadata image.
 */
public interface BrokerConfigView {
    /** Every broker config, in display order. */
    List<BrokerConfigEntry> entries();

    default Optional<BrokerConfigEntry> entry(String name) {
        return entries().stream().filter(entry -> entry.name().equals(name)).findFirst();
    }
}
