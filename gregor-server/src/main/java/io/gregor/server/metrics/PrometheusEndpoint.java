package io.gregor.server.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /metrics} on {@code metrics.prometheus.listener}: the broker's meters in the
 * Prometheus text format, or OpenMetrics when the scraper asks for it (the client library
 * negotiates), named as in {@link PrometheusName}, and the JVM's (the client library's standard
 * {@code jvm_*} and {@code process_*} metrics).
 *
 * <p>Like the MBeans, it starts after the broker listens and off its start-up path: the HTTP
 * server and its classes take tens of milliseconds that a broker need not wait for. So a port in
 * use is found after the start, and reported through {@link #failure()} for the broker to stop.
 * A thread of its own starts the server, and one daemon thread answers the scrapes: they are a
 * few a minute. (The server's start runs a first collection on the scrape thread and waits for
 * it, so the two cannot be one.)
 */
public final class PrometheusEndpoint implements AutoCloseable {
    private final CompletableFuture<RuntimeException> failure = new CompletableFuture<>();
    private final ExecutorService scrapes = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gregor-prometheus");
        thread.setDaemon(true);
        return thread;
    });
    private final CompletableFuture<HTTPServer> server = new CompletableFuture<>();

    /** Starts listening on {@code address} in the background, serving {@code registry}'s meters. */
    public static PrometheusEndpoint startInBackground(InetSocketAddress address, MetricRegistry registry) {
        PrometheusEndpoint endpoint = new PrometheusEndpoint();
        Thread starter = new Thread(() -> endpoint.start(address, registry), "gregor-prometheus-start");
        starter.setDaemon(true);
        starter.start();
        return endpoint;
    }

    private void start(InetSocketAddress address, MetricRegistry registry) {
        PrometheusRegistry prometheus = new PrometheusRegistry();
        prometheus.register(new DropwizardCollector(registry));
        // The JVM's own (memory, GC, threads, CPU, open files), as the JMX exporter's agent adds them.
        JvmMetrics.builder().register(prometheus);
        try {
            server.complete(HTTPServer.builder()
                    .hostname(address.getHostString())
                    .port(address.getPort())
                    .registry(prometheus)
                    .executorService(scrapes)
                    .buildAndStart());
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            failure.complete(new IllegalStateException("metrics.prometheus.listener "
                    + address.getHostString() + ":" + address.getPort() + ": cannot listen: " + reason, e));
            server.completeExceptionally(e);
        }
    }

    /** Completes when the endpoint cannot listen (a port in use); never otherwise. */
    public CompletableFuture<RuntimeException> failure() {
        return failure;
    }

    /** Stops listening, once the start is over. */
    @Override
    public void close() {
        server.handle((started, failed) -> started).join();
        server.thenAccept(HTTPServer::close);
        scrapes.shutdown();
        try {
            scrapes.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
