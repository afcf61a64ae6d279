package io.gregor.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentSamplesReservoirTest {
    private final RecentSamplesReservoir reservoir = new RecentSamplesReservoir();

    @Test
    void keepsEveryValueUntilFull() {
        reservoir.update(5);
        reservoir.update(1);
        reservoir.update(9);

        assertThat(reservoir.size()).isEqualTo(3);
        assertThat(reservoir.getSnapshot().getValues()).containsExactly(1, 5, 9);
    }

    @Test
    void thenKeepsOnlyTheLatestValues() {
        for (int i = 0; i < RecentSamplesReservoir.SIZE; i++) {
            reservoir.update(1_000);
        }
        for (int i = 0; i < RecentSamplesReservoir.SIZE; i++) {
            reservoir.update(i);
        }

        assertThat(reservoir.size()).isEqualTo(RecentSamplesReservoir.SIZE);
        assertThat(reservoir.getSnapshot().getMax()).isEqualTo(RecentSamplesReservoir.SIZE - 1);
        assertThat(reservoir.getSnapshot().getMin()).isZero();
    }
}
