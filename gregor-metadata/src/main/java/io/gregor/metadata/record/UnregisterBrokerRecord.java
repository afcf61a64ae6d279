package io.gregor.metadata.record;

/**
 * An operator removed a fenced broker for good (UnregisterBroker): its registration is gone; the
 * partitions that still name it as a replica show it offline.
 */
public record UnregisterBrokerRecord(int brokerId) implements MetadataRecord {
}
