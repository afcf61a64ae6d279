package io.gregor.storage.log;

import io.gregor.protocol.error.Errors;

/** An I/O error took the log (and its log directory) offline. Wire error: KAFKA_STORAGE_ERROR. */
public final class KafkaStorageException extends LogException {
    public KafkaStorageException(String message) {
        super(Errors.KAFKA_STORAGE_ERROR, message);
    }

    public KafkaStorageException(String message, Throwable cause) {
        super(Errors.KAFKA_STORAGE_ERROR, message, cause);
    }
}
