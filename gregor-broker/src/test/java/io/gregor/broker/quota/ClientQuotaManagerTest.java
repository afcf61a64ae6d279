package io.gregor.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.metrics.AttributeGauge;
import io.gregor.metadata.quota.ClientQuotaEntity;
import io.gregor.metadata.quota.ClientQuotaEntity.Name;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientQuotaManagerTest {
    private final AtomicLong now = new AtomicLong(100_000);
    private final MetricRegistry metrics = new MetricRegistry();
    private final ClientQuotaManager manager = new ClientQuotaManager(11, 1000, now::get, metrics, "Produce");

    @Test
    void withoutQuotasNothingIsActiveOrThrottled() {
        assertThat(manager.active()).isFalse();
        assertThat(manager.recordAndThrottleMs("alice", "app", Long.MAX_VALUE / 2)).isZero();

        manager.setBounds(Map.of(ClientQuotaEntity.user(Name.of("bob")), 10.0));
        assertThat(manager.active()).isTrue();
        assertThat(manager.recordAndThrottleMs("alice", "app", 1_000_000)).isZero();
        manager.setBounds(Map.of());
        assertThat(manager.active()).isFalse();
    }

    @Test
    void theMostSpecificEntityWinsInKip55Order() {
        // Each entity of the precedence, from the most specific down, with a bound naming its rank.
        List<ClientQuotaEntity> order = List.of(
                ClientQuotaEntity.of(Name.of("alice"), Name.of("app")),
                ClientQuotaEntity.of(Name.of("alice"), Name.DEFAULT),
                ClientQuotaEntity.user(Name.of("alice")),
                ClientQuotaEntity.of(Name.DEFAULT, Name.of("app")),
                ClientQuotaEntity.of(Name.DEFAULT, Name.DEFAULT),
                ClientQuotaEntity.user(Name.DEFAULT),
                ClientQuotaEntity.clientId(Name.of("app")),
                ClientQuotaEntity.clientId(Name.DEFAULT));
        Map<ClientQuotaEntity, Double> bounds = new HashMap<>();
        for (int rank = 0; rank < order.size(); rank++) {
            bounds.put(order.get(rank), (double) rank + 1);
        }
        for (int rank = 0; rank < order.size(); rank++) {
            assertThat(QuotaPrecedence.resolve(bounds, "alice", "app").orElseThrow().entity())
                    .as("with the entities from rank %d on", rank).isEqualTo(order.get(rank));
            bounds.remove(order.get(rank));
        }
        assertThat(QuotaPrecedence.resolve(bounds, "alice", "app")).isEmpty();
        // Another user's or client id's quotas never apply.
        assertThat(QuotaPrecedence.resolve(Map.of(ClientQuotaEntity.user(Name.of("bob")), 1.0,
                ClientQuotaEntity.clientId(Name.of("other")), 1.0), "alice", "app")).isEmpty();
    }

    @Test
    void aClientIdQuotaIsSharedByEveryUserWhileADefaultUserQuotaIsEachUsersOwn() {
        manager.setBounds(Map.of(ClientQuotaEntity.clientId(Name.of("app")), 1_000.0,
                ClientQuotaEntity.user(Name.DEFAULT), 1_000.0));

        // 10 s at 1,000 bytes/s: the minimum span's worth; the next byte from anyone on "app" is over.
        assertThat(manager.recordAndThrottleMs("", "app", 10_000)).isZero();
        assertThat(manager.recordAndThrottleMs("", "app", 1_000)).isPositive();
        // alice is held to the default user quota (it comes before client ids), measured for her alone
        assertThat(manager.recordAndThrottleMs("alice", "app", 10_000)).isZero();
        assertThat(manager.recordAndThrottleMs("bob", "app", 10_000)).isZero();
        assertThat(manager.rate("alice", "app")).isEqualTo(1_000);
    }

    @Test
    void aClientOverItsQuotaIsThrottledAndItsFetchesCappedToTheWindow() {
        manager.setBounds(Map.of(ClientQuotaEntity.clientId(Name.DEFAULT), 1_000.0));

        // 1,400 bytes/s over the minimum span of 10 s: 40 % over, 4 s.
        assertThat(manager.recordAndThrottleMs("", "app", 14_000)).isEqualTo(4_000);
        assertThat(manager.maxBytesInWindow("", "app")).isEqualTo(10_000);
        assertThat(manager.maxBytesInWindow("", "other")).isEqualTo(10_000);
    }

    @Test
    void theRatesOfClientsIdleForAWholeSpanAreForgotten() {
        manager.setBounds(Map.of(ClientQuotaEntity.clientId(Name.DEFAULT), 1_000.0));
        for (int i = 0; i < 100; i++) {
            manager.recordAndThrottleMs("", "client-" + i, 10);
        }
        assertThat(manager.measuredClients()).isEqualTo(100);

        // 11 windows later, the next request finds all of them idle; only its own rate is kept.
        now.addAndGet(11_000);
        manager.recordAndThrottleMs("", "client-0", 10);
        assertThat(manager.measuredClients()).isEqualTo(1);
        assertThat(manager.rate("", "client-0")).isEqualTo(1);
        // their meters stay an hour, as Kafka's
        assertThat(metrics.getNames()).hasSize(100);
        now.addAndGet(3_600_000);
        manager.recordAndThrottleMs("", "client-0", 10);
        assertThat(metrics.getNames()).containsExactly("kafka.server:type=Produce,client-id=client-0");
    }

    @Test
    void eachMeasuredClientHasKafkasMeterOfItsRateAndThrottle() {
        manager.setBounds(Map.of(ClientQuotaEntity.user(Name.DEFAULT), 1_000.0));
        manager.recordAndThrottleMs("alice", "app", 5_000);
        manager.recordAndThrottleMs("alice", "other", 10_000);

        // a default user quota is each user's own, whatever the client id
        AttributeGauge alice = (AttributeGauge) metrics.getGauges().get("kafka.server:type=Produce,user=alice");
        assertThat(alice.getValue()).containsOnly(Map.entry("byte-rate", 1_500.0), Map.entry("throttle-time", 2_500.0));

        manager.setBounds(Map.of());
        assertThat(metrics.getNames()).isEmpty();
    }

    @Test
    void newBoundsApplyAtOnce() {
        manager.setBounds(Map.of(ClientQuotaEntity.clientId(Name.of("app")), 1_000_000.0));
        assertThat(manager.recordAndThrottleMs("", "app", 100_000)).isZero();

        manager.setBounds(Map.of(ClientQuotaEntity.clientId(Name.of("app")), 1_000.0));
        assertThat(manager.recordAndThrottleMs("", "app", 100_000)).isPositive();
    }
}
