package io.gregor.metadata.record;

/**
 * The active controller fenced a broker (its session expired, or it shut down in a controlled way)
 * or unfenced it (its heartbeats came back). A fenced broker leads no partition, is in no ISR it
 * was removed from, and gets no new replicas; clients do not see it in Metadata.
 */
public record BrokerFencingRecord(int brokerId, boolean fenced) implements MetadataRecord {
}
