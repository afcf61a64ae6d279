package io.gregor.broker.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.metadata.control.ApiError;
import io.gregor.protocol.error.Errors;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ControllerErrorsTest {
    @Test
    void apiExceptionKeepsItsCodeAndMessageThroughCompletionWrappers() {
        ApiError error = ControllerErrors.toApiError(new CompletionException(
                Errors.POLICY_VIOLATION.exception("not allowed here")));

        assertThat(error).isEqualTo(ApiError.of(Errors.POLICY_VIOLATION, "not allowed here"));
    }

    @Test
    void anyOtherFailureIsAnUnknownServerErrorWithItsMessage() {
        ApiError error = ControllerErrors.toApiError(new CompletionException(new IOException("disk full")));

        assertThat(error).isEqualTo(ApiError.of(Errors.UNKNOWN_SERVER_ERROR, "disk full"));
    }

    @Test
    void successHasNoWireMessage() {
        assertThat(ControllerErrors.wireMessage(ApiError.NONE)).isNull();
        assertThat(ControllerErrors.wireMessage(ApiError.of(Errors.INVALID_REQUEST, "why"))).isEqualTo("why");
    }
}
