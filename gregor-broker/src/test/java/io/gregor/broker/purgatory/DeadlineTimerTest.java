package io.gregor.broker.purgatory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineTimerTest {
    private final DeadlineTimer timer = new DeadlineTimer("deadline-timer-test");
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        timer.close();
    }

    private static long inMillis(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void tasksRunInDeadlineOrderNotSchedulingOrder() {
        long base = inMillis(100);
        timer.schedule(base + 30_000_000, () -> ran.add("third"));
        timer.schedule(base, () -> ran.add("first"));
        timer.schedule(base + 10_000_000, () -> ran.add("second"));

        await().atMost(5, TimeUnit.SECONDS).until(() -> ran.size() == 3);
        assertThat(ran).containsExactly("first", "second", "third");
        assertThat(timer.size()).isZero();
    }

    @Test
    void aTaskRunsNoEarlierThanItsDeadline() throws InterruptedException {
        long deadline = inMillis(80);
        CountDownLatch done = new CountDownLatch(1);
        long[] ranAt = new long[1];
        timer.schedule(deadline, () -> {
            ranAt[0] = System.nanoTime();
            done.countDown();
        });

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ranAt[0] - deadline).isNotNegative();
    }

    @Test
    void anEarlierDeadlineWakesATimerSleepingUntilALaterOne() {
        timer.schedule(inMillis(Duration.ofMinutes(10).toMillis()), () -> ran.add("late"));
        timer.schedule(inMillis(20), () -> ran.add("soon"));

        await().atMost(5, TimeUnit.SECONDS).until(() -> ran.contains("soon"));
        assertThat(ran).containsExactly("soon");
        assertThat(timer.size()).isEqualTo(1);
    }

    @Test
    void aCancelledTaskNeverRuns() throws InterruptedException {
        DeadlineTimer.Deadline cancelled = timer.schedule(inMillis(30), () -> ran.add("cancelled"));
        CountDownLatch later = new CountDownLatch(1);
        timer.schedule(inMillis(60), later::countDown);

        cancelled.cancel();

        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isEmpty();
        assertThat(timer.size()).isZero();
    }

    @Test
    void aFailingTaskDoesNotStopTheTimer() {
        timer.schedule(inMillis(10), () -> {
            throw new IllegalStateException("task failure in a test");
        });
        timer.schedule(inMillis(20), () -> ran.add("after the failure"));

        await().atMost(5, TimeUnit.SECONDS).until(() -> ran.contains("after the failure"));
    }

    @Test
    void tasksScheduledFromManyThreadsAllRun() throws InterruptedException {
        int threads = 4;
        int perThread = 250;
        CountDownLatch all = new CountDownLatch(threads * perThread);
        List<Thread> schedulers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread scheduler = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    timer.schedule(inMillis(i % 20), all::countDown);
                }
            });
            schedulers.add(scheduler);
            scheduler.start();
        }
        for (Thread scheduler : schedulers) {
            scheduler.join();
        }

        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
