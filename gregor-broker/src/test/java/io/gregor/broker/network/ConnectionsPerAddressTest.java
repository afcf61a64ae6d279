package io.gregor.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConnectionsPerAddressTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(ConnectionsPerAddress.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final EmbeddedChannel listening = new EmbeddedChannel(new ConnectionsPerAddress(1, Map.of()));

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
        listening.finishAndReleaseAll();
    }

    @Test
    void aClientReconnectingInALoopGetsOneWarningAndASummaryNotOneEach() throws Exception {
        EmbeddedChannel admitted = accept("127.0.0.2");
        assertThat(admitted.isOpen()).isTrue();

        for (int i = 0; i < 5; i++) {
            assertThat(accept("127.0.0.2").isOpen()).as("refused beyond the limit").isFalse();
        }
        assertThat(logged.list).hasSize(1);
        assertThat(logged.list.get(0).getFormattedMessage()).startsWith("Closing connection from 127.0.0.2");

        admitted.close();
        listening.runPendingTasks();

        assertThat(logged.list).hasSize(2);
        assertThat(logged.list.get(1).getFormattedMessage())
                .isEqualTo("Closed 4 more connections from 127.0.0.2 over its limit before its last connection closed");
        // and the address may connect again
        assertThat(accept("127.0.0.2").isOpen()).isTrue();
    }

    @Test
    void eachAddressIsCountedOnItsOwn() throws Exception {
        assertThat(accept("127.0.0.2").isOpen()).isTrue();
        assertThat(accept("127.0.0.3").isOpen()).isTrue();
        assertThat(accept("127.0.0.3").isOpen()).isFalse();
        assertThat(logged.list).singleElement()
                .extracting(ILoggingEvent::getFormattedMessage).asString().contains("127.0.0.3");
    }

    /** A connection from {@code host} as the acceptor hands it to the listening channel's pipeline. */
    private EmbeddedChannel accept(String host) throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName(host), 40_000);
        EmbeddedChannel connection = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
        listening.writeInbound(connection);
        listening.runPendingTasks();
        Object passedOn = listening.readInbound();
        assertThat(passedOn == null || passedOn == connection).isTrue();
        return connection;
    }
}
