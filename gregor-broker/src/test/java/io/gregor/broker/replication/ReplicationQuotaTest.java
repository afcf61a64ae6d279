package io.gregor.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplicationQuotaTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong();
    private final ReplicationQuota quota = new ReplicationQuota(1_000, now::get);

    @Test
    void aSecondOfBytesPassesThenTheDebtHoldsThrottledReplicasBackUntilTimePaysItBack() {
        quota.record(600);
        assertThat(quota.isExceeded()).isFalse();
        quota.record(600);
        assertThat(quota.isExceeded()).as("1,200 bytes within the first second of 1,000/s").isTrue();

        now.addAndGet(SECOND / 10); // 100 bytes back: still 100 in debt
        assertThat(quota.isExceeded()).isTrue();
        now.addAndGet(SECOND / 5);
        assertThat(quota.isExceeded()).isFalse();
    }

    @Test
    void idleTimeSavesAtMostOneSecondOfBytes() {
        now.addAndGet(60 * SECOND);
        quota.record(1_001);
        assertThat(quota.isExceeded()).isTrue();
    }

    @Test
    void theDefaultRateLimitsNothing() {
        ReplicationQuota unlimited = new ReplicationQuota(Long.MAX_VALUE, now::get);
        unlimited.record(Long.MAX_VALUE);
        assertThat(unlimited.isLimited()).isFalse();
        assertThat(unlimited.isExceeded()).isFalse();
    }

    @Test
    void aRaisedRatePaysTheDebtBackFaster() {
        quota.record(1_500); // 500 in debt at 1,000/s: half a second
        quota.setRate(10_000);

        now.addAndGet(SECOND / 10); // 1,000 back at the new rate
        assertThat(quota.isExceeded()).isFalse();
        assertThat(quota.rate()).isEqualTo(10_000);
    }

    @Test
    void aLoweredRateBitesAtOnceWithoutTheSavingsOfTheOldRate() {
        quota.setRate(100);
        quota.record(101);
        assertThat(quota.isExceeded()).as("only one second of the new rate was kept").isTrue();
    }

    @Test
    void anUnlimitedQuotaGivenARateStartsWithOneSecondOfIt() {
        ReplicationQuota quota = new ReplicationQuota(Long.MAX_VALUE, now::get);
        quota.setRate(1_000);
        quota.record(1_001);
        assertThat(quota.isExceeded()).isTrue();

        quota.setRate(Long.MAX_VALUE);
        assertThat(quota.isExceeded()).as("back to unlimited").isFalse();
    }
}
