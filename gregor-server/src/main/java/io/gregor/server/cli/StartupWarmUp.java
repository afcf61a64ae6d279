package io.gregor.server.cli;

import io.gregor.protocol.message.ApiKey;
import io.netty.channel.epoll.Epoll;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * One-time initialization a broker's start-up needs whatever its configuration, begun on a second
 * thread as soon as {@code gregor server} runs, so that on a machine with more than one core it
 * overlaps the command line's parsing and the broker's own start. Each step is the first use of
 * something costly to initialize (together about a third of the start-up thread's time): the
 * start-up thread that reaches it later finds it done, or waits for the JVM's class
 * initialization in progress; nothing is done twice.
 */
final class StartupWarmUp {
    private StartupWarmUp() {
    }

    static void begin() {
        Thread thread = new Thread(StartupWarmUp::run, "gregor-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        LoggerFactory.getILoggerFactory(); // logback's configuration
        ApiKey.values(); // a method reference per request and response type to link
        Epoll.isAvailable(); // Netty's native transport library
        UUID.randomUUID(); // seeds the secure random source a new cluster id comes from
    }
}
