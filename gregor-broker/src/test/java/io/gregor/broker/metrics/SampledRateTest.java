package io.gregor.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class SampledRateTest {
    /** 11 windows of 1 s, as Kafka's defaults: the rate is never judged over less than 10 s. */
    private final SampledRate rate = new SampledRate(11, 1000);

    @Test
    void bytesWithinTheBoundOverTheMinimumSpanAreNotThrottled() {
        // 10,000 bytes in the first window, judged over 10 s: 1,000 bytes/s, exactly the bound.
        assertThat(rate.recordAndThrottleMs(10_000, 5_000, 1_000)).isZero();
        assertThat(rate.rate(5_000)).isEqualTo(1_000);
    }

    @Test
    void aClientOverItsBoundWaitsInProportionToTheExcess() {
        // Span 10 s (the minimum), 15,000 bytes: 1,500 bytes/s, 50 % over the bound: half the span.
        assertThat(rate.recordAndThrottleMs(15_000, 5_000, 1_000)).isEqualTo(5_000);
    }

    @Test
    void onceTheSpanIsPastItsMinimumTheThrottleBringsTheRateToTheBound() {
        rate.recordAndThrottleMs(5_250, 0, 1_000);
        // 10,500 bytes over 10.1 s: 400 ms more make 10.5 s, 1,000 bytes/s.
        long throttle = rate.recordAndThrottleMs(5_250, 10_100, 1_000);
        assertThat(throttle).isEqualTo(400);
        assertThat(rate.rate(10_100 + throttle)).isEqualTo(1_000);
    }

    @Test
    void theAverageThrottleTimeCountsEveryRequestOfTheWindows() {
        rate.recordAndThrottleMs(5_000, 5_000, 1_000);
        rate.recordAndThrottleMs(10_000, 5_100, 1_000);
        // the first within the bound (0 ms), the second 50 % over (5,000 ms)
        assertThat(rate.averageThrottleMs(5_100)).isEqualTo(2_500);
        assertThat(rate.averageThrottleMs(5_100 + 11_000)).isZero();
    }

    @Test
    void theThrottleIsAtMostTheWholeSpanOfTheWindows() {
        // 30,000 bytes would need 20 s more at 1,000 bytes/s; one throttle lasts at most 11 windows.
        assertThat(rate.recordAndThrottleMs(30_000, 5_000, 1_000)).isEqualTo(11_000);
    }

    @Test
    void windowsOlderThanTheSpanNoLongerCount() {
        rate.recordAndThrottleMs(50_000, 1_000, 1_000);
        // 11 windows later the first one is out of the span.
        assertThat(rate.recordAndThrottleMs(1, 12_000, 1_000)).isZero();
        assertThat(rate.rate(12_000)).isEqualTo(0.1);
    }

    @Test
    void theSpanGrowsWithTheAgeOfTheOldestWindow() {
        rate.recordAndThrottleMs(6_000, 0, 1_000);
        // 10,500 ms after the first window began: 12,000 bytes over 10.5 s.
        rate.recordAndThrottleMs(6_000, 10_500, 1_000);
        assertThat(rate.rate(10_500)).isCloseTo(12_000 / 10.5, offset(0.01));
    }
}
