package io.gregor.storage.log;

/** A record found by timestamp: its timestamp and offset (ListOffsets answers both). */
public record TimestampAndOffset(long timestamp, long offset) {
}
