package io.gregor.server.cli;

import io.gregor.server.logging.ServerLoggingProvider;
import java.io.PrintWriter;

/**
 * The entry point of the {@code gregor} binary: {@code gregor server} with plain arguments starts
 * a broker without picocli, everything else goes to {@link GregorCommand}.
 *
 * <p>A class of its own with no picocli type in its signatures: before {@code main} runs, the JVM
 * resolves the types in the main class's method signatures, and picocli's classes (Java 5 class
 * files, which a class-data archive cannot hold) had to be read from the jar for that, opening
 * its 19,000-entry directory on the way to every broker's start.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && "server".equals(args[0])) {
            ServerLoggingProvider.select();
            StartupWarmUp warmUp = StartupWarmUp.begin();
            // the configuration is read while logging is set up on the warm-up thread
            ServerCommand server = new ServerCommand(warmUp::awaitLogging);
            if (server.parsePlain(args)) {
                System.exit(server.runPlain(new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
            }
            warmUp.awaitLogging();
        }
        System.exit(GregorCommand.execute(args));
    }
}
