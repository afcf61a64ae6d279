package io.gregor.broker.metrics;

import com.codahale.metrics.Reservoir;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.UniformSnapshot;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The samples of a histogram's percentiles: the last {@link #SIZE} values recorded, in a ring.
 *
 * <p>Why not Kafka's reservoir (exponentially decaying, biased to the last five minutes, which
 * {@code TotalTimeMs} keeps): Dropwizard's keeps its samples in a skip list and allocates a node
 * for nearly every value, and the request phases record six to eight values per request, on the
 * network threads. Here a value costs an atomic increment and an array write, and nothing is
 * allocated; under a steady load the two give about the same percentiles, the ring's over fewer
 * minutes when requests are many and more when they are few.
 *
 * <p>Thread-safe without locks: writers on different threads each take a position of their own;
 * a snapshot taken during writes may see a few slots of the previous round.
 */
final class RecentSamplesReservoir implements Reservoir {
    /** As many as Dropwizard's and Kafka's reservoirs keep (1,028), rounded to a power of two. */
    static final int SIZE = 1024;

    private final AtomicLongArray values = new AtomicLongArray(SIZE);
    private final AtomicLong recorded = new AtomicLong();

    @Override
    public int size() {
        return (int) Math.min(recorded.get(), SIZE);
    }

    @Override
    public void update(long value) {
        long position = recorded.getAndIncrement();
        values.lazySet((int) (position & (SIZE - 1)), value);
    }

    @Override
    public Snapshot getSnapshot() {
        long[] copy = new long[size()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = values.get(i);
        }
        return new UniformSnapshot(copy);
    }
}
