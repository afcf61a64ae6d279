package io.gregor.broker.api.meta;

import java.util.List;

/**
 * A feature (KIP-584) this broker's code can run at any level of {@code minVersion..maxVersion}.
 * Advertised in ApiVersions as SupportedFeatures; admin tools use it to decide upgrades.
 */
public record SupportedFeature(String name, short minVersion, short maxVersion) {
    public static final String METADATA_VERSION = "metadata.version";
    public static final String KRAFT_VERSION = "kraft.version";
    public static final String GROUP_VERSION = "group.version";
    public static final String TRANSACTION_VERSION = "transaction.version";

    /** 3.3-IV3: the oldest metadata.version a Kafka 4.x broker accepts. */
    public static final short METADATA_VERSION_MIN = 7;
    /** 4.1-IV1: the newest production metadata.version of Kafka 4.1, the release we speak. */
    public static final short METADATA_VERSION_4_1 = 27;
    /** transaction.version 2 is KIP-890 part 2, transactions V2; 1 only changes the coordinator's records. */
    public static final short TRANSACTION_VERSION_MAX = 2;
    /** group.version 1 enables the consumer group protocol (KIP-848). */
    public static final short GROUP_VERSION_1 = 1;
    /** kraft.version 1 is a dynamic quorum (KIP-853). */
    public static final short KRAFT_VERSION_MAX = 1;

    public SupportedFeature {
        if (minVersion > maxVersion) {
            throw new IllegalArgumentException(name + ": empty range " + minVersion + ".." + maxVersion);
        }
    }

    /**
     * What every Gregor broker supports, as a Kafka 4.1 KRaft broker advertises it. Features
     * tied to optional subsystems (group.version, transaction.version) are added by the
     * assembly when those subsystems exist.
     */
    public static List<SupportedFeature> kraftBaseline() {
        return List.of(
                new SupportedFeature(METADATA_VERSION, METADATA_VERSION_MIN, METADATA_VERSION_4_1),
                new SupportedFeature(KRAFT_VERSION, (short) 0, KRAFT_VERSION_MAX));
    }

    /** The transaction coordinator's feature: transactions V1 (levels 0 and 1) and V2 (KIP-890). */
    public static SupportedFeature transactions() {
        return new SupportedFeature(TRANSACTION_VERSION, (short) 0, TRANSACTION_VERSION_MAX);
    }
}
