package io.gregor.tests;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.io.IOException;
import java.time.Duration;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.awaitility.Awaitility;

/**
 * A broker process's MBeans over remote JMX, as an operator's dashboard or a JMX exporter reads
 * them: the process is started with the JVM's usual remote-JMX options on a loopback port.
 */
final class RemoteJmx implements AutoCloseable {
    private final int port;
    private JMXConnector connector;

    private RemoteJmx(int port) {
        this.port = port;
    }

    /** Gives {@code broker} (not yet started) a JMX port, which {@link #connect()} then reaches. */
    static RemoteJmx on(GregorProcess broker) {
        int port = PortFinder.freeLoopbackPorts(1).get(0);
        broker.withJvmOptions(
                "-Dcom.sun.management.jmxremote.port=" + port,
                "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false");
        return new RemoteJmx(port);
    }

    /**
     * Connects to the started broker (again, after a restart) and waits for its MBeans, which are
     * registered just after it accepts connections, off its start-up path.
     */
    MBeanServerConnection connect() throws Exception {
        close();
        connector = JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"));
        MBeanServerConnection jmx = connector.getMBeanServerConnection();
        ObjectName activeController = new ObjectName("kafka.controller:type=KafkaController,name=ActiveControllerCount");
        Awaitility.await("the broker's MBeans").atMost(Duration.ofSeconds(10)).until(() ->
                jmx.isRegistered(activeController));
        return jmx;
    }

    @Override
    public void close() throws IOException {
        if (connector != null) {
            connector.close();
            connector = null;
        }
    }
}
