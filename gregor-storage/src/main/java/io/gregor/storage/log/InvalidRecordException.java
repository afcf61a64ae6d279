package io.gregor.storage.log;

import io.gregor.protocol.error.Errors;
import java.util.Optional;

/** A batch is well-formed but not acceptable (magic other than 2, bad counts). Wire error: INVALID_RECORD. */
public final class InvalidRecordException extends LogException {
    public InvalidRecordException(String message) {
        super(Errors.INVALID_RECORD, message);
    }

    /** A refusal of a batch for a reason Kafka meters. */
    public InvalidRecordException(String message, BatchDefect defect) {
        super(Errors.INVALID_RECORD, message, Optional.of(defect));
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(Errors.INVALID_RECORD, message, cause);
    }
}
