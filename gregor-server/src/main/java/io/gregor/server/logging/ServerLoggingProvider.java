package io.gregor.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of {@code gregor server}: logback, set up by {@link ConsoleLogging} directly.
 * Logback's own provider finds that set-up through its general configuration search (service
 * look-ups in the jar, version checks, a security-policy check that parses the JDK's policy file,
 * status messages), which took about as long as the rest of the JVM's way to the broker's own
 * start, which waits for logging. With a logback configuration of the user's, this provider is
 * logback's own, so that the configuration is read exactly as logback reads it.
 *
 * <p>SLF4J takes it when the system property {@code slf4j.provider} names it, which
 * {@link #select()} does; otherwise (client commands, tests) SLF4J finds logback's provider.
 */
public final class ServerLoggingProvider implements SLF4JServiceProvider {
    private static final String PROVIDER_PROPERTY = "slf4j.provider";
    /** SLF4J announces a provider named by the property on stderr unless its own verbosity is WARN. */
    private static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

    private SLF4JServiceProvider logbacksOwn;
    private LoggerContext context;
    private IMarkerFactory markers;
    private LogbackMDCAdapter mdc;

    /** Makes this the provider of the JVM's logging, unless the user chose one; before any logger is asked for. */
    public static void select() {
        if (System.getProperty(PROVIDER_PROPERTY) == null) {
            System.setProperty(PROVIDER_PROPERTY, ServerLoggingProvider.class.getName());
            if (System.getProperty(VERBOSITY_PROPERTY) == null) {
                System.setProperty(VERBOSITY_PROPERTY, "WARN");
            }
        }
    }

    @Override
    public void initialize() {
        if (ConsoleLogging.userConfigurationPresent()) {
            logbacksOwn = new LogbackServiceProvider();
            logbacksOwn.initialize();
            return;
        }
        // what logback's provider does, with ConsoleLogging in place of the configuration search
        context = new LoggerContext();
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        ConsoleLogging console = new ConsoleLogging();
        console.setContext(context);
        console.configure(context);
        context.start();
        markers = new BasicMarkerFactory();
        mdc = new LogbackMDCAdapter();
        context.setMDCAdapter(mdc);
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return logbacksOwn != null ? logbacksOwn.getLoggerFactory() : context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return logbacksOwn != null ? logbacksOwn.getMarkerFactory() : markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return logbacksOwn != null ? logbacksOwn.getMDCAdapter() : mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return LogbackServiceProvider.REQUESTED_API_VERSION;
    }
}
