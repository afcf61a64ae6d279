package io.gregor.broker.api.meta;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The feature levels the cluster has agreed on (KIP-584), as of a metadata epoch. Only levels
 * above 0 are finalized: level 0 means the feature is off, and Kafka leaves it out.
 *
 * @param epoch the metadata offset these levels were read at; grows with every change
 * @param levels finalized level by feature name
 */
public record FinalizedFeatures(long epoch, Map<String, Short> levels) {
    public FinalizedFeatures {
        TreeMap<String, Short> finalized = new TreeMap<>();
        levels.forEach((name, level) -> {
            if (level > 0) {
                finalized.put(name, level);
            }
        });
        levels = Collections.unmodifiableMap(finalized);
    }

    /**
     * A freshly formatted Kafka 4.1 KRaft cluster: metadata.version 4.1-IV1 and the given
     * kraft.version, plus whatever the coordinator has enabled ({@code extraLevels}, e.g.
     * group.version or transaction.version once their protocols are implemented).
     */
    public static FinalizedFeatures kraftBaseline(long epoch, short kraftVersion, Map<String, Short> extraLevels) {
        Map<String, Short> levels = new TreeMap<>(extraLevels);
        levels.put(SupportedFeature.METADATA_VERSION, SupportedFeature.METADATA_VERSION_4_1);
        levels.put(SupportedFeature.KRAFT_VERSION, kraftVersion);
        return new FinalizedFeatures(epoch, levels);
    }
}
