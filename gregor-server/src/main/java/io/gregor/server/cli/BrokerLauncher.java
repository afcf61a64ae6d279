package io.gregor.server.cli;

import io.gregor.broker.Broker;
import io.gregor.broker.config.BrokerConfig;
import io.gregor.server.metrics.JmxMetrics;
import io.gregor.server.metrics.PrometheusEndpoint;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a broker for {@code gregor server}. The command talks to this seam rather than to
 * {@link Broker} directly so that its own behaviour (config errors, start-up line, shutdown on
 * SIGTERM) is tested without starting a real broker.
 */
interface BrokerLauncher {
    /** Starts the broker and returns once it accepts connections; throws when it cannot start. */
    RunningBroker start(BrokerConfig config);

    /** A started broker. */
    interface RunningBroker {
        int boundPort(String listenerName);

        /** Flushes and closes; called once. */
        void shutdown();

        /** Completes when the broker found it must stop (a quorum that disagrees with it); never by default. */
        default CompletableFuture<? extends RuntimeException> fatalError() {
            return new CompletableFuture<>();
        }
    }

    /**
     * A broker whose meters are MBeans of this JVM, under Kafka's names, and also served to
     * Prometheus when metrics.prometheus.listener is set: both start after the broker listens.
     */
    BrokerLauncher DEFAULT = config -> {
        JmxMetrics metrics = new JmxMetrics();
        Broker broker = new Broker(config, metrics.registry());
        try {
            broker.startup();
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        metrics.exposeInBackground();
        // Optional.isPresent and get rather than lambdas: a lambda's link would load the
        // endpoint's classes even when it is off
        Optional<PrometheusEndpoint> prometheus = config.prometheusListener().isPresent()
                ? Optional.of(PrometheusEndpoint.startInBackground(config.prometheusListener().get(),
                        metrics.registry()))
                : Optional.empty();
        CompletableFuture<RuntimeException> fatalError = new CompletableFuture<>();
        broker.fatalError().thenAccept(fatalError::complete);
        if (prometheus.isPresent()) {
            // an endpoint that cannot listen stops the broker, as a bad setting would have
            prometheus.get().failure().thenAccept(fatalError::complete);
        }
        return new RunningBroker() {
            @Override
            public int boundPort(String listenerName) {
                return broker.boundPort(listenerName);
            }

            @Override
            public void shutdown() {
                if (prometheus.isPresent()) {
                    prometheus.get().close();
                }
                broker.shutdown();
                metrics.close();
            }

            @Override
            public CompletableFuture<? extends RuntimeException> fatalError() {
                return fatalError;
            }
        };
    };
}
