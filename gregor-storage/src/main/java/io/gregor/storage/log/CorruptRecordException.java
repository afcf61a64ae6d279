package io.gregor.storage.log;

import io.gregor.protocol.error.Errors;
import java.util.Optional;

/** A batch failed its CRC or its framing is broken. Wire error: CORRUPT_MESSAGE. */
public final class CorruptRecordException extends LogException {
    public CorruptRecordException(String message) {
        super(Errors.CORRUPT_MESSAGE, message);
    }

    /** A refusal of a batch for a reason Kafka meters. */
    public CorruptRecordException(String message, BatchDefect defect) {
        super(Errors.CORRUPT_MESSAGE, message, Optional.of(defect));
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(Errors.CORRUPT_MESSAGE, message, cause);
    }
}
