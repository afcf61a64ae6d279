package io.gregor.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.CorruptRecordException;
import io.gregor.storage.log.KafkaStorageException;
import io.gregor.storage.log.OffsetOutOfRangeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
    @Test
    void apiExceptionsKeepTheirCodeEvenWhenWrappedByAFuture() {
        ApiException notEnough = new ApiException(Errors.NOT_ENOUGH_REPLICAS, "only 1 in sync");

        assertThat(ErrorMapper.toError(new CompletionException(notEnough))).isEqualTo(Errors.NOT_ENOUGH_REPLICAS);
        assertThat(ErrorMapper.message(new CompletionException(notEnough))).isEqualTo("only 1 in sync");
    }

    @Test
    void storageErrorsMapToTheirKafkaCodes() {
        assertThat(ErrorMapper.toError(new OffsetOutOfRangeException("past the end")))
                .isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(ErrorMapper.toError(new KafkaStorageException("disk gone"))).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
        assertThat(ErrorMapper.toError(new UncheckedIOException(new IOException("EIO"))))
                .isEqualTo(Errors.KAFKA_STORAGE_ERROR);
    }

    @Test
    void corruptBatchesAreCorruptMessage() {
        assertThat(ErrorMapper.toError(new CorruptRecordException("bad crc"))).isEqualTo(Errors.CORRUPT_MESSAGE);
    }

    @Test
    void unexpectedFailuresAreUnknownServerErrorsWithoutTheirInternals() {
        IllegalStateException bug = new IllegalStateException("index 7 out of bounds in FooBar");

        assertThat(ErrorMapper.toError(bug)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(ErrorMapper.message(bug)).isNull();
    }
}
