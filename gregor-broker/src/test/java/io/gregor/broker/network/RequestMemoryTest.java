package io.gregor.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestMemoryTest {

    @Test
    void unboundedAlwaysLetsRequestsIn() {
        RequestMemory memory = RequestMemory.unbounded();

        assertThat(memory.tryReserve(Integer.MAX_VALUE)).isTrue();
        assertThat(memory.tryReserve(Integer.MAX_VALUE)).isTrue();
    }

    @Test
    void letsARequestInWhileAnythingIsLeftEvenIfItIsLarger() {
        RequestMemory memory = new RequestMemory(100);

        assertThat(memory.tryReserve(60)).isTrue();
        assertThat(memory.tryReserve(60)).as("40 left: let in, as Kafka's pool does").isTrue();
        assertThat(memory.availableBytes()).isEqualTo(-20);
        assertThat(memory.tryReserve(1)).as("nothing left").isFalse();
        assertThat(memory.availableBytes()).as("a refused reservation takes nothing").isEqualTo(-20);

        memory.release(60);
        assertThat(memory.tryReserve(1)).isTrue();
    }

    @Test
    void aWaiterRunsOnceBytesAreGivenBackAndNotBefore() {
        RequestMemory memory = new RequestMemory(10);
        memory.tryReserve(10);
        AtomicInteger retries = new AtomicInteger();

        memory.whenAvailable(retries::incrementAndGet);
        assertThat(retries).hasValue(0);
        memory.release(10);
        memory.release(0);

        assertThat(retries).as("woken once, then forgotten").hasValue(1);
    }

    @Test
    void aWaiterRegisteredWhileMemoryIsLeftRunsAtOnce() {
        RequestMemory memory = new RequestMemory(10);
        AtomicInteger retries = new AtomicInteger();

        memory.whenAvailable(retries::incrementAndGet);

        assertThat(retries).hasValue(1);
    }

    @Test
    void givingBackPartOfADebtWakesNoOne() {
        RequestMemory memory = new RequestMemory(10);
        memory.tryReserve(30);
        AtomicInteger retries = new AtomicInteger();
        memory.whenAvailable(retries::incrementAndGet);

        memory.release(15);
        assertThat(retries).as("still 5 short").hasValue(0);
        memory.release(15);
        assertThat(retries).hasValue(1);
    }

    @Test
    void concurrentRequestsExceedTheBoundByAtMostOneRequest() throws Exception {
        int threads = 4;
        int request = 7;
        RequestMemory memory = new RequestMemory(100);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger mostHeld = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        if (memory.tryReserve(request)) {
                            mostHeld.accumulateAndGet(held.addAndGet(request), Math::max);
                            held.addAndGet(-request);
                            memory.release(request);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(mostHeld.get()).isLessThan(100 + request);
        assertThat(memory.availableBytes()).as("everything given back").isEqualTo(100);
    }
}
