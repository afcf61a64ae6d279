package io.gregor.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import org.slf4j.Logger;

/**
 * Gregor's logging set-up, in code: INFO and above on the console, one line per event
 * ({@link CompactLayout}), the chatty libraries (Netty, Kafka's client, Ratis) at WARN.
 *
 * <p>In code rather than a logback.xml because logback's XML configurator (Joran, a JAXP parser
 * and a few hundred classes) took longer than the broker's own start-up. A user's own
 * configuration still wins: with {@code -Dlogback.configurationFile=...}, or a logback.xml or
 * logback-test.xml on the classpath (as in the tests), this configurator steps aside and logback
 * reads that file as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (userConfigurationPresent()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        CompactLayout layout = new CompactLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        for (String chatty : new String[] {"io.netty", "org.apache.kafka", "org.apache.ratis"}) {
            context.getLogger(chatty).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static boolean userConfigurationPresent() {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
            return true;
        }
        if (classPathIsGregorsJar()) {
            return false;
        }
        ClassLoader loader = ConsoleLogging.class.getClassLoader();
        return loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null;
    }

    /**
     * Whether the class path is just the jar Gregor runs from, as bin/gregor starts it: that jar is
     * built without a logback.xml, and looking for one opened its directory of some 19,000
     * entries, which the broker's start then waited for (its classes come from the class-data
     * archive and need no look in the jar).
     */
    private static boolean classPathIsGregorsJar() {
        try {
            CodeSource source = ConsoleLogging.class.getProtectionDomain().getCodeSource();
            String classPath = System.getProperty("java.class.path", "");
            return source != null && !classPath.isEmpty() && !classPath.contains(File.pathSeparator)
                    && classPath.endsWith(".jar")
                    && Path.of(source.getLocation().toURI()).equals(Path.of(classPath).toAbsolutePath());
        } catch (URISyntaxException | RuntimeException e) {
            return false; // then look as logback would
        }
    }
}
