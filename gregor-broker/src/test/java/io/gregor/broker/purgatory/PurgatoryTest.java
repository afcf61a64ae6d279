package io.gregor.broker.purgatory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PurgatoryTest {
    private final Purgatory<String> purgatory = new Purgatory<>("test");

    @AfterEach
    void close() {
        purgatory.close();
    }

    /** Satisfied once {@code ready} is set; counts its completions. */
    private static final class Waiting extends DelayedOperation {
        final AtomicBoolean ready = new AtomicBoolean();
        final AtomicInteger completions = new AtomicInteger();

        Waiting(Duration timeout) {
            super(System.nanoTime() + timeout.toNanos());
        }

        @Override
        protected boolean isSatisfied() {
            return ready.get();
        }

        @Override
        protected void onComplete() {
            completions.incrementAndGet();
        }
    }

    @Test
    void operationSatisfiedAtOnceIsNotParked() {
        Waiting operation = new Waiting(Duration.ofMinutes(1));
        operation.ready.set(true);

        purgatory.tryCompleteElseWatch(operation, List.of("p0"));

        assertThat(operation.completions).hasValue(1);
        assertThat(purgatory.watching("p0")).isZero();
    }

    @Test
    void wakeCompletesAParkedOperationOnceItsConditionHolds() {
        Waiting operation = new Waiting(Duration.ofMinutes(1));
        purgatory.tryCompleteElseWatch(operation, List.of("p0", "p1"));

        purgatory.wake("p0");
        assertThat(operation.completions).hasValue(0);

        operation.ready.set(true);
        purgatory.wake("p1");
        purgatory.wake("p0");

        assertThat(operation.completions).hasValue(1);
        assertThat(purgatory.watching("p0")).isZero();
        assertThat(purgatory.watching("p1")).isZero();
    }

    @Test
    void anOperationCompletedBeforeItsDeadlineLeavesNoTimerBehind() {
        Waiting operation = new Waiting(Duration.ofMinutes(1));
        purgatory.tryCompleteElseWatch(operation, List.of("p0"));
        assertThat(purgatory.pendingDeadlines()).isEqualTo(1);

        operation.ready.set(true);
        purgatory.wake("p0");

        assertThat(operation.completions).hasValue(1);
        assertThat(purgatory.pendingDeadlines()).isZero();
    }

    @Test
    void deadlineCompletesAnOperationNobodyWakes() {
        Waiting operation = new Waiting(Duration.ofMillis(50));

        purgatory.tryCompleteElseWatch(operation, List.of("p0"));

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(operation.completions).hasValue(1));
        assertThat(operation.isCompleted()).isTrue();
    }

    @Test
    void closingCompletesWhatIsStillParkedSoEveryRequestIsAnswered() {
        Waiting operation = new Waiting(Duration.ofMinutes(10));
        purgatory.tryCompleteElseWatch(operation, List.of("p0", "p1"));

        purgatory.close();

        assertThat(operation.completions).hasValue(1);
        assertThat(purgatory.watching("p0")).isZero();
    }
}
