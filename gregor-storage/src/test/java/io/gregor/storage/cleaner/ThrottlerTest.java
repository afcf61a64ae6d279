package io.gregor.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * log.cleaner.io.max.bytes.per.second. Only lower bounds on elapsed time are asserted: a busy
 * machine can make the cleaner slower than its cap, never faster.
 */
class ThrottlerTest {
    @Test
    void bytesBeyondTheRateWaitUntilTheRateAllowsThem() {
        Throttler throttler = new Throttler(1_000_000);
        long start = System.nanoTime();

        for (int chunk = 0; chunk < 3; chunk++) {
            throttler.acquire(500_000);
        }

        assertThat(System.nanoTime() - start).as("1.5 MB at 1 MB/s").isGreaterThanOrEqualTo(
                TimeUnit.MILLISECONDS.toNanos(1_400));
    }

    @Test
    void stoppingReleasesAWaitingCleanerWithAnAbort() {
        Throttler throttler = new Throttler(1);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> throttler.acquire(1_000_000));

        throttler.stop();

        assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(CleaningAbortedException.class);
        assertThatThrownBy(() -> throttler.acquire(1)).isInstanceOf(CleaningAbortedException.class);
    }
}
