package io.gregor.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.metrics.AttributeGauge;
import io.gregor.metadata.quota.ClientQuotaEntity;
import io.gregor.metadata.quota.ClientQuotaEntity.Name;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MutationQuotasTest {
    private static final String METER = "kafka.server:type=ControllerMutation,client-id=creator";

    private final AtomicLong now = new AtomicLong(100_000);
    private final MetricRegistry metrics = new MetricRegistry();
    /** 2 windows of 1 s: a rate of 5 partitions per second bursts to 10. */
    private final MutationQuotas quotas = new MutationQuotas(2, 1000, now::get, metrics);

    @Test
    void withoutAQuotaForTheClientEverythingIsAdmittedUnthrottled() {
        assertThat(quotas.forRequest("alice", "creator", true)).isSameAs(MutationQuota.UNLIMITED);
        quotas.setBounds(Map.of(ClientQuotaEntity.clientId(Name.of("someone-else")), 1.0));
        MutationQuota quota = quotas.forRequest("alice", "creator", true);
        assertThat(quota.admit(1_000)).isTrue();
        assertThat(quota.throttleMs(1_000)).isZero();
    }

    @Test
    void aStrictRequestIsAdmittedUntilTheBucketIsInDebtThenRefusedAndThrottledUntilItIsPaid() {
        quotas.setBounds(Map.of(ClientQuotaEntity.clientId(Name.of("creator")), 5.0));
        MutationQuota first = quotas.forRequest("alice", "creator", true);
        assertThat(first.admit(10)).as("the whole burst").isTrue();
        assertThat(first.admit(6)).as("the bucket is empty, not in debt: admitted, and now 6 in debt").isTrue();
        assertThat(first.throttleMs(16)).as("nothing was refused").isZero();

        MutationQuota second = quotas.forRequest("alice", "creator", true);
        assertThat(second.admit(1)).isFalse();
        // 6 partitions of debt at 5 per second
        assertThat(second.throttleMs(0)).isEqualTo(1_200);

        now.addAndGet(1_200);
        MutationQuota third = quotas.forRequest("alice", "creator", true);
        assertThat(third.admit(1)).isTrue();
    }

    @Test
    void anOlderRequestIsAlwaysAdmittedAndThrottledForItsDebt() {
        quotas.setBounds(Map.of(ClientQuotaEntity.clientId(Name.of("creator")), 5.0));
        MutationQuota quota = quotas.forRequest("alice", "creator", false);
        assertThat(quota.admit(20)).isTrue();
        assertThat(quota.admit(5)).isTrue();
        assertThat(quota.throttleMs(25)).isEqualTo(3_000);
    }

    @Test
    void partitionsThatWereNotMutatedAreGivenBack() {
        quotas.setBounds(Map.of(ClientQuotaEntity.clientId(Name.of("creator")), 5.0));
        MutationQuota quota = quotas.forRequest("alice", "creator", true);
        assertThat(quota.admit(12)).isTrue();
        quota.giveBack(12);
        assertThat(quota.throttleMs(0)).isZero();
        assertThat(quotas.forRequest("alice", "creator", true).admit(10)).isTrue();
    }

    @Test
    void aClientsMeterShowsItsRateTokensAndThrottleTime() {
        quotas.setBounds(Map.of(ClientQuotaEntity.clientId(Name.of("creator")), 5.0));
        MutationQuota quota = quotas.forRequest("alice", "creator", true);
        quota.admit(14);
        quota.throttleMs(14);
        MutationQuota refused = quotas.forRequest("alice", "creator", true);
        refused.admit(1);
        refused.throttleMs(0);

        Map<String, Double> meter = ((AttributeGauge) metrics.getGauges().get(METER)).getValue();
        assertThat(meter.get(MutationQuotas.TOKENS)).isEqualTo(-4.0);
        // 14 partitions over the windows' minimum span of 1 s
        assertThat(meter.get(MutationQuotas.MUTATION_RATE)).isEqualTo(14.0);
        // two requests, one throttled 800 ms
        assertThat(meter.get(QuotaMeters.THROTTLE_TIME)).isEqualTo(400.0);
    }

    @Test
    void aClientsMeterKeepsItsRateWhileItsWindowsCountEvenOnceItsBucketIsFull() {
        quotas.setBounds(Map.of(ClientQuotaEntity.clientId(Name.of("creator")), 5.0));
        MutationQuota quota = quotas.forRequest("alice", "creator", true);
        quota.admit(1);
        quota.throttleMs(1);
        // the token is back after 200 ms; the windows count for 2 s
        now.addAndGet(500);
        quotas.forRequest("bob", "other", true);

        Map<String, Double> meter = ((AttributeGauge) metrics.getGauges().get(METER)).getValue();
        assertThat(meter.get(MutationQuotas.MUTATION_RATE)).isEqualTo(1.0);
        assertThat(meter.get(MutationQuotas.TOKENS)).isEqualTo(10.0);
    }

    @Test
    void newBoundsStartFullBuckets() {
        quotas.setBounds(Map.of(ClientQuotaEntity.clientId(Name.of("creator")), 5.0));
        quotas.forRequest("alice", "creator", true).admit(50);
        quotas.setBounds(Map.of(ClientQuotaEntity.clientId(Name.of("creator")), 10.0));
        assertThat(quotas.forRequest("alice", "creator", true).admit(1)).isTrue();
    }
}
