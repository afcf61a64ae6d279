package io.gregor.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kafka's meters of how much of the time the broker's threads have nothing to do, which
 * operators watch to tell a saturated broker (Kafka's advice: worry below 0.3):
 *
 * <ul>
 *   <li>{@code kafka.network:type=Processor,name=IdlePercent,networkProcessor=N}, per network
 *       thread, and {@code kafka.network:type=SocketServer,name=NetworkProcessorAvgIdlePercent},
 *       their mean: the share of the last 30 seconds, 0 to 1, the thread did not run. Gregor's
 *       network threads read and write the sockets, as Kafka's processors do, and also serve
 *       produce requests and fetches of the logs' tails, which Kafka hands to its request
 *       handlers; so these are the meters that say a Gregor broker is saturated.</li>
 *   <li>{@code kafka.server:type=KafkaRequestHandlerPool,name=RequestHandlerAvgIdlePercent}: a
 *       meter of the I/O threads' idle time ({@code num.io.threads}: fetches of older segments,
 *       offsets by time, ...): its count is their idle nanoseconds per thread, and its rates the
 *       idle share, 0 to 1, as Kafka's (whose rates are per nanosecond).</li>
 *   <li>{@code kafka.network:type=RequestChannel,name=RequestQueueSize}: requests waiting for an
 *       I/O thread.</li>
 * </ul>
 *
 * <p>They are sampled every {@link #SAMPLE_PERIOD_SECONDS} seconds by {@link #sample()}, off the
 * network threads. A network thread's busy time is its CPU time, which leaves out time it waited
 * for a CPU (it does no blocking I/O); an I/O thread's is the wall time of its tasks
 * ({@link TimedThreadPool}).
 */
public final class IdleMeters {
    static final String REQUEST_HANDLER_IDLE =
            KafkaMetricName.of("kafka.server", "KafkaRequestHandlerPool", "RequestHandlerAvgIdlePercent");
    /**
     * Shorter than the meters' 5-second tick, whose first tick starts their rates from what was
     * marked before it.
     */
    public static final int SAMPLE_PERIOD_SECONDS = 1;
    /** Samples a network thread's idle share is taken over: 30 seconds, Kafka's sample window. */
    static final int WINDOW_SAMPLES = 30;

    private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    private final NetworkThread[] networkThreads;
    private final AtomicInteger networkThreadsMade = new AtomicInteger();
    private final TimedThreadPool ioThreads;
    private final Meter ioIdle;
    private long lastSampleNanos;
    private long lastIoBusyNanos;

    /**
     * @param networkThreads how many network threads the socket server runs
     * @param ioThreads the I/O threads
     */
    public IdleMeters(MetricRegistry registry, int networkThreads, TimedThreadPool ioThreads) {
        this.networkThreads = new NetworkThread[networkThreads];
        for (int i = 0; i < networkThreads; i++) {
            NetworkThread thread = new NetworkThread();
            this.networkThreads[i] = thread;
            registry.register(KafkaMetricName.of("kafka.network", "Processor", "IdlePercent",
                    "networkProcessor", Integer.toString(i)), (Gauge<Double>) () -> thread.idle);
        }
        registry.register(KafkaMetricName.of("kafka.network", "SocketServer", "NetworkProcessorAvgIdlePercent"),
                (Gauge<Double>) this::networkIdle);
        this.ioThreads = ioThreads;
        this.ioIdle = registry.register(REQUEST_HANDLER_IDLE, new NanosecondsMeter());
        registry.register(KafkaMetricName.of("kafka.network", "RequestChannel", "RequestQueueSize"),
                (Gauge<Integer>) () -> ioThreads.getQueue().size());
        lastSampleNanos = System.nanoTime();
    }

    /**
     * Makes the socket server's network threads through {@code factory}, each counted as the
     * next network processor.
     */
    public ThreadFactory networkThreadFactory(ThreadFactory factory) {
        return runnable -> {
            Thread thread = factory.newThread(runnable);
            int processor = networkThreadsMade.getAndIncrement();
            if (processor < networkThreads.length) {
                networkThreads[processor].thread = thread;
            }
            return thread;
        };
    }

    /** Takes a sample; called every {@link #SAMPLE_PERIOD_SECONDS} seconds by one thread. */
    public synchronized void sample() {
        long now = System.nanoTime();
        for (NetworkThread thread : networkThreads) {
            thread.sample(now);
        }
        long ioBusy = ioThreads.busyNanos();
        long threads = ioThreads.getMaximumPoolSize();
        long idle = threads * (now - lastSampleNanos) - (ioBusy - lastIoBusyNanos);
        ioIdle.mark(Math.max(0, idle / threads));
        lastSampleNanos = now;
        lastIoBusyNanos = ioBusy;
    }

    private double networkIdle() {
        double sum = 0;
        for (NetworkThread thread : networkThreads) {
            sum += thread.idle;
        }
        return networkThreads.length == 0 ? 1.0 : sum / networkThreads.length;
    }

    /** A meter of nanoseconds whose rates are per nanosecond, so a meter of idle time gives the idle share. */
    private static final class NanosecondsMeter extends Meter {
        private static final double NANOS_PER_SECOND = 1e9;

        @Override
        public double getMeanRate() {
            return super.getMeanRate() / NANOS_PER_SECOND;
        }

        @Override
        public double getOneMinuteRate() {
            return super.getOneMinuteRate() / NANOS_PER_SECOND;
        }

        @Override
        public double getFiveMinuteRate() {
            return super.getFiveMinuteRate() / NANOS_PER_SECOND;
        }

        @Override
        public double getFifteenMinuteRate() {
            return super.getFifteenMinuteRate() / NANOS_PER_SECOND;
        }
    }

    /** One network thread's samples of its CPU time, the last {@link #WINDOW_SAMPLES} of them. */
    private final class NetworkThread {
        /** Null until Netty starts the thread, which it does with the first task for it. */
        volatile Thread thread;
        volatile double idle = 1.0;
        private final long[] wallNanos = new long[WINDOW_SAMPLES + 1];
        private final long[] cpuNanos = new long[WINDOW_SAMPLES + 1];
        private int samples;

        NetworkThread() {
            wallNanos[0] = System.nanoTime();
            samples = 1;
        }

        void sample(long now) {
            Thread current = thread;
            long cpu = current == null ? 0 : threadBean.getThreadCpuTime(current.getId());
            if (cpu < 0) {
                return; // the thread has ended, or the JVM measures no thread CPU time
            }
            int slot = samples % wallNanos.length;
            int oldest = samples < wallNanos.length ? 0 : (samples + 1) % wallNanos.length;
            wallNanos[slot] = now;
            cpuNanos[slot] = cpu;
            samples++;
            long wall = now - wallNanos[oldest];
            if (wall > 0) {
                double busy = (double) (cpu - cpuNanos[oldest]) / wall;
                idle = Math.max(0.0, Math.min(1.0, 1.0 - busy));
            }
        }
    }
}
