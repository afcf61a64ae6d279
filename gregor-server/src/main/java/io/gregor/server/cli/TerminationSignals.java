package io.gregor.server.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * The server's stop signal: SIGTERM or SIGINT (Ctrl-C). Handling them ourselves, rather than
 * leaving them to the JVM's default that runs shutdown hooks and exits with 128+signal, lets the
 * main thread shut the broker down and exit with 0, so that a clean stop reads as success to
 * scripts and service managers. The shutdown hook stays as the safety net for other exits.
 */
final class TerminationSignals implements ServerCommand.StopSignal {
    private final CountDownLatch received = new CountDownLatch(1);

    /** Installs the handlers; call once, before the broker starts. */
    static TerminationSignals install() {
        TerminationSignals signals = new TerminationSignals();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> signals.received.countDown());
            } catch (IllegalArgumentException unsupportedHere) {
                // e.g. a JVM started with -Xrs or a platform without this signal: the hook still stops the broker
            }
        }
        return signals;
    }

    @Override
    public void await() throws InterruptedException {
        received.await();
    }
}
