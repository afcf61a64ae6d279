package io.gregor.broker.partition;

import io.gregor.protocol.error.Errors;

/** What a producer is told about one partition's append. */
public record AppendOutcome(Errors error, long baseOffset, long logAppendTimeMs, long logStartOffset) {
}
