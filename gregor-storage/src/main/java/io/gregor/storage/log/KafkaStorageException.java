package io.gregor.storage.log;

/** An I/O error took the log (and its log directory) offline. Wire error: KAFKA_STORAGE_ERROR. */
public final class KafkaStorageException extends LogException {
    public KafkaStorageException(String message) {
        super(message);
    }

    public KafkaStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
