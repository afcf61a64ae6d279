package io.gregor.protocol.record;

/**
 * Which clock a batch's timestamps come from: the producer's ({@link #CREATE_TIME}) or the
 * broker's at append ({@link #LOG_APPEND_TIME}). Stored as bit 3 of the batch attributes.
 */
public enum TimestampType {
    CREATE_TIME,
    LOG_APPEND_TIME
}
