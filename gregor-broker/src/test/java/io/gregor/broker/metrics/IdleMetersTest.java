package io.gregor.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdleMetersTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(150);

    private final MetricRegistry registry = new MetricRegistry();
    private final TimedThreadPool ioThreads = new TimedThreadPool(2, Executors.defaultThreadFactory());
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        ioThreads.shutdownNow();
    }

    @Test
    void aNetworkThreadThatRanIsLessIdleThanOneThatWaitedAndTheAverageIsTheirMean() throws Exception {
        long before = System.nanoTime();
        IdleMeters meters = new IdleMeters(registry, 2, ioThreads);
        long constructed = System.nanoTime();
        ThreadFactory factory = meters.networkThreadFactory(Thread::new);
        CountDownLatch spun = new CountDownLatch(1);
        Thread busy = factory.newThread(() -> {
            spinCpu(SPIN_NANOS);
            spun.countDown();
            awaitRelease();
        });
        Thread waiting = factory.newThread(this::awaitRelease);
        busy.start();
        waiting.start();
        spun.await();
        long cpu = THREADS.getThreadCpuTime(busy.getId());
        long sampling = System.nanoTime();
        meters.sample();
        long sampled = System.nanoTime();

        double busyIdle = gauge("kafka.network:type=Processor,name=IdlePercent,networkProcessor=0");
        double waitingIdle = gauge("kafka.network:type=Processor,name=IdlePercent,networkProcessor=1");
        // the window runs from the meters' making to the sample, which the test brackets
        assertThat(busyIdle).isBetween(1.0 - (double) cpu / (sampling - constructed) - 0.01,
                1.0 - (double) cpu / (sampled - before) + 0.01);
        assertThat(busyIdle).isLessThan(1.0);
        assertThat(waitingIdle).isGreaterThan(0.9);
        assertThat(gauge("kafka.network:type=SocketServer,name=NetworkProcessorAvgIdlePercent"))
                .isCloseTo((busyIdle + waitingIdle) / 2, within(1e-9));
    }

    @Test
    void aProcessorWhoseThreadNettyHasNotStartedIsIdle() {
        IdleMeters meters = new IdleMeters(registry, 3, ioThreads);
        meters.sample();
        assertThat(gauge("kafka.network:type=Processor,name=IdlePercent,networkProcessor=2")).isEqualTo(1.0);
        assertThat(gauge("kafka.network:type=SocketServer,name=NetworkProcessorAvgIdlePercent")).isEqualTo(1.0);
    }

    @Test
    void theRequestHandlerMeterCountsTheIoThreadsIdleNanosecondsPerThread() throws Exception {
        long before = System.nanoTime();
        IdleMeters meters = new IdleMeters(registry, 1, ioThreads);
        long constructed = System.nanoTime();
        ioThreads.execute(() -> spinWall(SPIN_NANOS));
        // the time is added once the task has returned, after its future completes
        ioThreads.shutdown();
        assertThat(ioThreads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        long busy = ioThreads.busyNanos();
        long sampling = System.nanoTime();
        meters.sample();
        long sampled = System.nanoTime();

        assertThat(busy).isGreaterThanOrEqualTo(SPIN_NANOS);
        Meter meter = registry.meter(IdleMeters.REQUEST_HANDLER_IDLE);
        // two threads over the window, less the task's time, per thread
        assertThat(meter.getCount()).isBetween((2 * (sampling - constructed) - busy) / 2,
                (2 * (sampled - before) - busy) / 2);
        // its rates are shares of the time, as Kafka's per-nanosecond rates are
        assertThat(meter.getMeanRate()).isBetween(0.0, 1.0);
    }

    @Test
    void requestsWaitingForAnIoThreadAreTheRequestQueueSize() throws Exception {
        new IdleMeters(registry, 1, ioThreads);
        CountDownLatch running = new CountDownLatch(2);
        for (int i = 0; i < 3; i++) {
            ioThreads.execute(() -> {
                running.countDown();
                awaitRelease();
            });
        }
        running.await();
        // both threads are taken; the third task waits
        assertThat(gauge("kafka.network:type=RequestChannel,name=RequestQueueSize")).isEqualTo(1);
    }

    private double gauge(String name) {
        return ((Number) ((Gauge<?>) registry.getGauges().get(name)).getValue()).doubleValue();
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs until this thread has had {@code nanos} of CPU time. */
    private static void spinCpu(long nanos) {
        long start = THREADS.getCurrentThreadCpuTime();
        while (THREADS.getCurrentThreadCpuTime() - start < nanos) {
            Thread.onSpinWait();
        }
    }

    private static void spinWall(long nanos) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            Thread.onSpinWait();
        }
    }
}
