package io.gregor.server.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The broker's meters as MBeans of the platform MBean server. Each meter's name is the object
 * name Apache Kafka gives it ({@code kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=t}),
 * and Dropwizard's meters have the attributes of Kafka's own (Yammer, Dropwizard's predecessor):
 * a meter {@code Count}, {@code MeanRate}, {@code OneMinuteRate}, {@code FiveMinuteRate},
 * {@code FifteenMinuteRate} (per second); a histogram {@code Count}, {@code Mean}, {@code Max},
 * {@code 99thPercentile}, ...; a gauge {@code Value}. So JMX dashboards and exporters written for
 * Kafka read Gregor unchanged.
 *
 * <p>The meters count from the start; their MBeans are registered afterwards, on a thread of their
 * own ({@link #exposeInBackground()}): starting the platform MBean server and registering the
 * MBeans takes tens of milliseconds, which a broker's start to accepting connections need not
 * wait for.
 */
public final class JmxMetrics implements AutoCloseable {
    private final MetricRegistry registry = new MetricRegistry();
    private JmxReporter reporter;
    private boolean closed;

    /** Where the broker's meters go. */
    public MetricRegistry registry() {
        return registry;
    }

    /** Registers the MBeans of the meters there are and of those to come, on a daemon thread. */
    public void exposeInBackground() {
        Thread thread = new Thread(this::expose, "gregor-jmx");
        thread.setDaemon(true);
        thread.start();
    }

    /** Registers the MBeans now, unless closed: a broker stopped before the thread ran registers none. */
    synchronized void expose() {
        if (closed) {
            return;
        }
        reporter = JmxReporter.forRegistry(registry)
                .registerWith(ManagementFactory.getPlatformMBeanServer())
                .convertRatesTo(TimeUnit.SECONDS)
                .convertDurationsTo(TimeUnit.MILLISECONDS)
                .createsObjectNamesWith((type, domain, name) -> objectName(name))
                .build();
        reporter.start();
    }

    /** Unregisters the MBeans. */
    @Override
    public synchronized void close() {
        closed = true;
        if (reporter != null) {
            reporter.close();
        }
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("A meter's name is not an object name: " + name, e);
        }
    }
}
