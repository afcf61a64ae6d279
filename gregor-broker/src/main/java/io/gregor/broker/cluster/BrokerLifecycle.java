package io.gregor.broker.cluster;

import io.gregor.broker.config.SecurityProtocol;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.BrokerHeartbeatRequest;
import io.gregor.protocol.message.BrokerHeartbeatResponse;
import io.gregor.protocol.message.BrokerRegistrationRequest;
import io.gregor.protocol.message.BrokerRegistrationResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's life as the active controller sees it: it registers (retrying until an active
 * controller takes the registration), then sends a heartbeat every
 * {@code broker.heartbeat.interval.ms} so that its session does not expire and it is not fenced;
 * before stopping, it asks to be shut down in a controlled way, which moves its leaderships to
 * other in-sync replicas first.
 *
 * <p>When this node is the active controller itself, the calls go to its controller directly;
 * otherwise they are BrokerRegistration and BrokerHeartbeat requests over the
 * {@link ControllerChannel}. One scheduler thread; at most one call in flight at a time.
 */
public final class BrokerLifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerLifecycle.class);
    private static final short REGISTRATION_VERSION = 3;
    private static final short HEARTBEAT_VERSION = 1;
    private static final long MIN_HEARTBEAT_TIMEOUT_MS = 1_000;

    private final BrokerRegistration registration;
    private final String clusterId;
    private final Function<String, SecurityProtocol> securityProtocols;
    private final QuorumController controller;
    private final ControllerChannel channel;
    private final long heartbeatIntervalMs;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final Consumer<RuntimeException> fatal;
    private volatile boolean registered;
    /** The epoch of this process's registration, which its heartbeats carry. */
    private volatile long brokerEpoch = QuorumController.NO_BROKER_EPOCH;
    private volatile boolean loggedWaiting;
    private volatile boolean loggedRefused;

    /**
     * @param fatal told when this broker must stop: another process registered with its node id
     *     after it (STALE_BROKER_EPOCH), so two nodes have the same node.id
     */
    public BrokerLifecycle(BrokerRegistration registration, String clusterId,
                           Function<String, SecurityProtocol> securityProtocols, QuorumController controller,
                           ControllerChannel channel, long heartbeatIntervalMs, Consumer<RuntimeException> fatal) {
        this.fatal = fatal;
        this.registration = registration;
        this.clusterId = clusterId;
        this.securityProtocols = securityProtocols;
        this.controller = controller;
        this.channel = channel;
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "broker-lifecycle");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts registering and heartbeating in the background; returns at once. */
    public void start() {
        scheduler.scheduleWithFixedDelay(this::tick, 0, heartbeatIntervalMs, TimeUnit.MILLISECONDS);
    }

    public boolean isRegistered() {
        return registered;
    }

    private void tick() {
        if (!busy.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<?> call = registered ? heartbeat(false).thenAccept(this::onHeartbeat) : register();
        call.whenComplete((done, failure) -> {
            busy.set(false);
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof ApiException refused && refused.error() == Errors.CLUSTER_AUTHORIZATION_FAILED
                    && !loggedRefused) {
                // A misconfiguration the node cannot get past alone: say how to fix it, once.
                loggedRefused = true;
                log.warn("Broker {}: the active controller refuses its registration and heartbeats: this node's "
                        + "principal needs CLUSTER_ACTION on the cluster, or to be in super.users: its user on a "
                        + "SASL inter-broker listener, User: and its certificate's subject on an SSL one that "
                        + "requires client certificates, User:ANONYMOUS on a PLAINTEXT one and over the metadata "
                        + "quorum's transport (used while the controller is not a registered broker)",
                        registration.id());
            }
            if (failure != null && !loggedWaiting) {
                loggedWaiting = true;
                log.info("Broker {} cannot reach the active controller yet: {}", registration.id(), failure.toString());
            }
        });
    }

    private CompletableFuture<Void> register() {
        CompletableFuture<Long> done = channel.isLocal() ? controller.registerBroker(registration)
                : channel.<BrokerRegistrationResponse>send(registrationRequest(), REGISTRATION_VERSION)
                        .thenApply(response -> {
                            if (response.errorCode() != Errors.NONE.code()) {
                                throw Errors.forCode(response.errorCode()).exception("Registration refused");
                            }
                            return response.brokerEpoch();
                        });
        return done.thenAccept(epoch -> {
            brokerEpoch = epoch;
            registered = true;
            loggedWaiting = false;
            log.info("Broker {} registered with the active controller", registration.id());
        });
    }

    private void onHeartbeat(BrokerHeartbeatResponse response) {
        if (response.errorCode() == Errors.BROKER_ID_NOT_REGISTERED.code()) {
            registered = false;
        } else if (response.errorCode() == Errors.STALE_BROKER_EPOCH.code()) {
            scheduler.shutdown();
            fatal.accept(new IllegalStateException("Another process registered as broker " + registration.id()
                    + " after this one: two nodes have node.id=" + registration.id() + "; stopping this one"));
        } else if (response.errorCode() != Errors.NONE.code()) {
            throw Errors.forCode(response.errorCode()).exception("Heartbeat refused");
        }
    }

    private CompletableFuture<BrokerHeartbeatResponse> heartbeat(boolean wantShutDown) {
        if (channel.isLocal()) {
            return controller.brokerHeartbeat(registration.id(), brokerEpoch, wantShutDown)
                    .thenApply(result -> new BrokerHeartbeatResponse().setIsFenced(result.fenced())
                            .setShouldShutDown(result.shouldShutDown()))
                    .exceptionally(failure -> {
                        if (failure.getCause() instanceof ApiException api
                                && (api.error() == Errors.BROKER_ID_NOT_REGISTERED
                                        || api.error() == Errors.STALE_BROKER_EPOCH)) {
                            return new BrokerHeartbeatResponse().setErrorCode(api.error().code());
                        }
                        throw new CompletionException(failure);
                    });
        }
        BrokerHeartbeatRequest request = new BrokerHeartbeatRequest()
                .setBrokerId(registration.id())
                .setBrokerEpoch(brokerEpoch)
                .setCurrentMetadataOffset(controller.image().nextOffset())
                .setWantShutDown(wantShutDown);
        // A heartbeat that hangs (a controller that stopped answering) must not outlive the
        // session it is meant to keep: give up in time to try the next leader.
        return channel.send(request, HEARTBEAT_VERSION, Math.max(MIN_HEARTBEAT_TIMEOUT_MS, 2 * heartbeatIntervalMs));
    }

    /**
     * Controlled shutdown: asks the active controller to move this broker's leaderships away and
     * waits, retrying through leader changes, until it agrees or {@code timeoutMs} passes.
     *
     * @return whether the controller agreed in time
     */
    public boolean controlledShutdown(long timeoutMs) {
        scheduler.shutdownNow();
        if (controller.image().unfencedBrokers().keySet().stream().noneMatch(id -> id != registration.id())) {
            // The last broker standing (say, the last node of a cluster being stopped): its
            // leaderships have nowhere to go, and the quorum may already be gone.
            log.info("Broker {}: no other unfenced broker to take its leaderships; stopping", registration.id());
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (registered && System.nanoTime() < deadline) {
            try {
                long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                BrokerHeartbeatResponse response = heartbeat(true).get(left, TimeUnit.MILLISECONDS);
                if (response.errorCode() == Errors.NONE.code() && response.shouldShutDown()) {
                    log.info("Broker {}: controlled shutdown agreed; its leaderships moved", registration.id());
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                log.debug("Controlled shutdown request failed: {}", e.toString());
            }
            try {
                // The stopping thread waits here by design; the pause before the next request is a timer's.
                CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(
                        Math.min(200, heartbeatIntervalMs), TimeUnit.MILLISECONDS)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (java.util.concurrent.ExecutionException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return false;
    }

    private BrokerRegistrationRequest registrationRequest() {
        List<BrokerRegistrationRequest.Listener> listeners = new ArrayList<>();
        registration.endpoints().forEach(endpoint -> listeners.add(new BrokerRegistrationRequest.Listener()
                .setName(endpoint.listenerName())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                // Kafka numbers the protocols in the order SecurityProtocol declares them.
                .setSecurityProtocol((short) securityProtocols.apply(endpoint.listenerName()).ordinal())));
        return new BrokerRegistrationRequest()
                .setBrokerId(registration.id())
                .setClusterId(clusterId)
                .setIncarnationId(registration.incarnationId())
                .setListeners(listeners)
                .setFeatures(new ArrayList<>())
                .setRack(registration.rack().orElse(null))
                .setLogDirs(new ArrayList<>())
                .setPreviousBrokerEpoch(-1);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
