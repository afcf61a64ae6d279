package io.gregor.server.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.MetricRegistryListener;
import com.codahale.metrics.Timer;
import com.codahale.metrics.jmx.JmxReporter;
import io.gregor.broker.metrics.AttributeGauge;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's meters as MBeans of the platform MBean server. Each meter's name is the object
 * name Apache Kafka gives it ({@code kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=t}),
 * and Dropwizard's meters have the attributes of Kafka's own (Yammer, Dropwizard's predecessor):
 * a meter {@code Count}, {@code MeanRate}, {@code OneMinuteRate}, {@code FiveMinuteRate},
 * {@code FifteenMinuteRate} (per second); a histogram {@code Count}, {@code Mean}, {@code Max},
 * {@code 99thPercentile}, ...; a gauge {@code Value}. So JMX dashboards and exporters written for
 * Kafka read Gregor unchanged. An {@link AttributeGauge} (the client quotas' meters, which Kafka's
 * own metrics library makes) becomes one MBean with its attributes instead, such as
 * {@code kafka.server:type=Produce,client-id=app} with {@code byte-rate} and {@code throttle-time}.
 *
 * <p>Registering an MBean takes tens of microseconds, and the platform MBean server's start tens of
 * milliseconds. None of it happens on the broker's threads: the meters count from the start in the
 * broker's registry, and the thread {@code gregor-jmx} copies each meter added to it (the same
 * object, so its MBean shows its live values) into the registry the MBeans are made from, and
 * drops those removed, in the order they came. So a network thread meeting a new topic, or the
 * thread opening a new 1,000-partition topic's logs and their gauges, does not wait for JMX.
 */
public final class JmxMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JmxMetrics.class);
    private final MetricRegistry registry = new MetricRegistry();
    private final MetricRegistry exposed = new MetricRegistry();
    private final ExecutorService jmxThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gregor-jmx");
        thread.setDaemon(true);
        return thread;
    });
    private JmxReporter reporter;
    /** The MBeans of attribute gauges, registered here rather than by the reporter; on the JMX thread only. */
    private final Set<ObjectName> attributeMBeans = new HashSet<>();

    /** Where the broker's meters go. */
    public MetricRegistry registry() {
        return registry;
    }

    /** Starts the MBeans: those of the meters there are now, and of those to come. */
    public void exposeInBackground() {
        submit(this::startReporter);
        registry.addListener(new Mirror());
    }

    private void startReporter() {
        reporter = JmxReporter.forRegistry(exposed)
                .registerWith(ManagementFactory.getPlatformMBeanServer())
                .convertRatesTo(TimeUnit.SECONDS)
                .convertDurationsTo(TimeUnit.MILLISECONDS)
                .createsObjectNamesWith((type, domain, name) -> objectName(name))
                .build();
        reporter.start();
    }

    /** Unregisters the MBeans. */
    @Override
    public void close() {
        submit(() -> {
            if (reporter != null) {
                reporter.close();
            }
            new ArrayList<>(attributeMBeans).forEach(this::unregister);
        });
        jmxThread.shutdown();
        try {
            jmxThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(Runnable task) {
        try {
            jmxThread.execute(task);
        } catch (RejectedExecutionException closed) {
            // closed: there are no MBeans to change any more
        }
    }

    private void copy(String name, Metric metric) {
        submit(() -> {
            // a meter added while the mirror started may be announced twice
            exposed.remove(name);
            exposed.register(name, metric);
        });
    }

    private void drop(String name) {
        submit(() -> {
            if (!attributeMBeans.contains(objectName(name))) {
                exposed.remove(name);
            } else {
                unregister(objectName(name));
            }
        });
    }

    private void copyAttributes(String name, AttributeGauge gauge) {
        submit(() -> {
            ObjectName objectName = objectName(name);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            try {
                if (server.isRegistered(objectName)) {
                    server.unregisterMBean(objectName);
                }
                server.registerMBean(new AttributeGaugeMBean(gauge), objectName);
                attributeMBeans.add(objectName);
            } catch (JMException e) {
                LOG.warn("Cannot register the MBean {}: {}", objectName, e.toString());
            }
        });
    }

    private void unregister(ObjectName objectName) {
        attributeMBeans.remove(objectName);
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
        } catch (JMException e) {
            LOG.debug("MBean {} was gone already: {}", objectName, e.toString());
        }
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("A meter's name is not an object name: " + name, e);
        }
    }

    /** Hands every change of the broker's registry to the JMX thread. */
    private final class Mirror implements MetricRegistryListener {
        @Override
        public void onGaugeAdded(String name, Gauge<?> gauge) {
            if (gauge instanceof AttributeGauge attributes) {
                copyAttributes(name, attributes);
            } else {
                copy(name, gauge);
            }
        }

        @Override
        public void onGaugeRemoved(String name) {
            drop(name);
        }

        @Override
        public void onCounterAdded(String name, Counter counter) {
            copy(name, counter);
        }

        @Override
        public void onCounterRemoved(String name) {
            drop(name);
        }

        @Override
        public void onHistogramAdded(String name, Histogram histogram) {
            copy(name, histogram);
        }

        @Override
        public void onHistogramRemoved(String name) {
            drop(name);
        }

        @Override
        public void onMeterAdded(String name, Meter meter) {
            copy(name, meter);
        }

        @Override
        public void onMeterRemoved(String name) {
            drop(name);
        }

        @Override
        public void onTimerAdded(String name, Timer timer) {
            copy(name, timer);
        }

        @Override
        public void onTimerRemoved(String name) {
            drop(name);
        }
    }
}
