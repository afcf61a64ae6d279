package io.gregor.protocol.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.Test;

class ErrorsTest {
    private static final Map<Short, org.apache.kafka.common.protocol.Errors> KAFKA_BY_CODE =
            Arrays.stream(org.apache.kafka.common.protocol.Errors.values())
                    .collect(Collectors.toMap(org.apache.kafka.common.protocol.Errors::code, Function.identity()));

    @Test
    void hasEveryKafkaCodeWithTheSameName() {
        for (org.apache.kafka.common.protocol.Errors kafka : org.apache.kafka.common.protocol.Errors.values()) {
            assertThat(Errors.lookup(kafka.code())).as("code %d", kafka.code()).hasValueSatisfying(
                    ours -> assertThat(ours.name()).isEqualTo(kafka.name()));
        }
        assertThat(Errors.values()).hasSameSizeAs(org.apache.kafka.common.protocol.Errors.values());
    }

    @Test
    void retriableFlagAndExceptionNameMatchKafkasClient() {
        for (Errors ours : Errors.values()) {
            org.apache.kafka.common.protocol.Errors kafka = KAFKA_BY_CODE.get(ours.code());
            assertThat(ours.isRetriable()).as(ours.name())
                    .isEqualTo(kafka.exception() instanceof RetriableException);
            assertThat(ours.exceptionName()).as(ours.name())
                    .isEqualTo(java.util.Optional.ofNullable(kafka.exception()).map(e -> e.getClass().getSimpleName()));
        }
    }

    @Test
    void forCodeMapsUnknownCodesToUnknownServerError() {
        assertThat(Errors.forCode((short) 6)).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(Errors.forCode((short) -1)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.forCode((short) 10_000)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.forCode((short) -2)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.lookup((short) 10_000)).isEmpty();
    }

    @Test
    void everyErrorHasADefaultMessage() {
        assertThat(Errors.values()).allSatisfy(error -> assertThat(error.message()).isNotBlank());
    }

    @Test
    void exceptionCarriesTheError() {
        ApiException exception = Errors.INVALID_RECORD.exception("bad key");
        assertThat(exception.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(exception).hasMessage("bad key");
    }
}
