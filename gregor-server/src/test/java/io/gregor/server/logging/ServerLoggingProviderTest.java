package io.gregor.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class ServerLoggingProviderTest {
    @TempDir
    Path dir;

    @Test
    void setsUpTheConsoleLoggingWithoutLogbacksConfigurationSearch() {
        ServerLoggingProvider provider = new ServerLoggingProvider();
        provider.initialize();

        LoggerContext context = (LoggerContext) provider.getLoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(root.getAppender("CONSOLE")).isInstanceOf(ConsoleAppender.class)
                .satisfies(appender -> assertThat(appender.isStarted()).isTrue());
        assertThat(context.getLogger("io.netty.channel").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.gregor.broker.Broker").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(provider.getMDCAdapter()).isNotNull();
        assertThat(provider.getMarkerFactory().getMarker("m").getName()).isEqualTo("m");
    }

    @Test
    void aLogbackConfigurationOfTheUsersIsReadAsLogbackReadsIt() throws Exception {
        Path file = dir.resolve("logback.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="MINE" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%msg%n</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="MINE"/></root>
                </configuration>
                """);
        System.setProperty("logback.configurationFile", file.toString());
        try {
            ServerLoggingProvider provider = new ServerLoggingProvider();
            provider.initialize();

            LoggerContext context = (LoggerContext) provider.getLoggerFactory();
            ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(root.getAppender("MINE")).isNotNull();
            assertThat(root.getAppender("CONSOLE")).isNull();
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }
}
