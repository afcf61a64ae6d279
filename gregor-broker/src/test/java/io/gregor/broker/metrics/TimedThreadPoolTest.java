package io.gregor.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The I/O threads' pool resized at run time (num.io.threads): it runs as many tasks at once as it has threads. */
class TimedThreadPoolTest {
    private final TimedThreadPool pool = new TimedThreadPool(2, Thread::new);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aGrownPoolRunsMoreTasksAtOnceAndAShrunkOneKeepsRunningTasks() throws Exception {
        pool.resize(4);
        assertThat(pool.getCorePoolSize()).isEqualTo(4);
        assertThat(pool.getMaximumPoolSize()).isEqualTo(4);
        CountDownLatch allRunning = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            pool.execute(() -> {
                allRunning.countDown();
                await(release);
            });
        }
        assertThat(allRunning.await(10, TimeUnit.SECONDS)).as("four tasks at once on four threads").isTrue();
        release.countDown();

        pool.resize(1);
        assertThat(pool.getCorePoolSize()).isEqualTo(1);
        assertThat(pool.getMaximumPoolSize()).isEqualTo(1);
        CountDownLatch ran = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            pool.execute(ran::countDown);
        }
        assertThat(ran.await(10, TimeUnit.SECONDS)).as("queued tasks run on the thread left").isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
