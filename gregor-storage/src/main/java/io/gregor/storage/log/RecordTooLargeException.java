package io.gregor.storage.log;

import io.gregor.protocol.error.Errors;
import java.util.Optional;

/** One batch is larger than max.message.bytes. Wire error: MESSAGE_TOO_LARGE. */
public final class RecordTooLargeException extends LogException {
    public RecordTooLargeException(String message) {
        super(Errors.MESSAGE_TOO_LARGE, message);
    }

    /** A refusal of a batch for a reason Kafka meters. */
    public RecordTooLargeException(String message, BatchDefect defect) {
        super(Errors.MESSAGE_TOO_LARGE, message, Optional.of(defect));
    }

    public RecordTooLargeException(String message, Throwable cause) {
        super(Errors.MESSAGE_TOO_LARGE, message, cause);
    }
}
