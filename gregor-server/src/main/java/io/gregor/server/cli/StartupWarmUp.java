package io.gregor.server.cli;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.epoll.Epoll;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * One-time initialization a broker's start-up needs whatever its configuration, done on a second
 * thread as soon as {@code gregor server} runs, so that on a machine with more than one core it
 * overlaps the start-up thread's own work. Each step is the first use of something costly to
 * initialize (together about a third of the start-up thread's time): the start-up thread that
 * reaches it later finds it done, or waits for the JVM's class initialization in progress.
 *
 * <p>Logging comes first, and the start-up thread, which reads the configuration meanwhile, must
 * {@link #awaitLogging()} before it gets a logger: SLF4J hands a thread that asks while another
 * initializes it a stand-in logger, and later replays what went through it with a warning on
 * stderr.
 */
final class StartupWarmUp {
    private final CountDownLatch logging = new CountDownLatch(1);

    private StartupWarmUp() {
    }

    static StartupWarmUp begin() {
        StartupWarmUp warmUp = new StartupWarmUp();
        Thread thread = new Thread(warmUp::run, "gregor-warm-up");
        thread.setDaemon(true);
        thread.start();
        return warmUp;
    }

    private void run() {
        try {
            LoggerFactory.getILoggerFactory(); // logback's configuration
        } finally {
            logging.countDown();
        }
        // in the order the broker's start reaches them
        UUID.randomUUID(); // seeds the secure random source a new cluster id comes from
        Epoll.isAvailable(); // Netty's native transport library (logs through SLF4J)
        // Netty asks whether each handler it adds is @Sharable: the JVM's first annotation parse
        // (a proxy class for the annotation) happens here instead of while the listener is bound
        ChannelInitializer.class.isAnnotationPresent(ChannelHandler.Sharable.class);
        ByteBufAllocator.DEFAULT.isDirectBufferPooled(); // the pooled buffer allocator's set-up
    }

    /** Waits for logging to be ready. */
    void awaitLogging() {
        try {
            logging.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
