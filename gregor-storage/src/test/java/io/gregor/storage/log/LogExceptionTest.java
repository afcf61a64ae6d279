package io.gregor.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.protocol.error.Errors;
import org.junit.jupiter.api.Test;

/** Each storage failure carries the Kafka error code the handlers answer with. */
class LogExceptionTest {
    @Test
    void mapsEachFailureToItsKafkaError() {
        assertThat(new CorruptRecordException("x").error()).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(new InvalidRecordException("x").error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(new RecordTooLargeException("x").error()).isEqualTo(Errors.MESSAGE_TOO_LARGE);
        assertThat(new RecordBatchTooLargeException("x").error()).isEqualTo(Errors.RECORD_LIST_TOO_LARGE);
        assertThat(new OffsetOutOfRangeException("x").error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(new KafkaStorageException("x").error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
        assertThat(new InvalidTimestampException("x").error()).isEqualTo(Errors.INVALID_TIMESTAMP);
    }
}
