package io.gregor.storage.log;

import io.gregor.protocol.error.Errors;

/** A fetch or delete offset lies outside [logStartOffset, logEndOffset] (or above the high watermark for deletes). Wire error: OFFSET_OUT_OF_RANGE. */
public final class OffsetOutOfRangeException extends LogException {
    public OffsetOutOfRangeException(String message) {
        super(Errors.OFFSET_OUT_OF_RANGE, message);
    }

    public OffsetOutOfRangeException(String message, Throwable cause) {
        super(Errors.OFFSET_OUT_OF_RANGE, message, cause);
    }
}
