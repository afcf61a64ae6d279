package io.gregor.broker.cluster;

import io.gregor.protocol.wire.ApiMessage;
import java.util.concurrent.CompletableFuture;

/**
 * One way to the active controller from this node: its inter-broker listener when it is a
 * broker too, else the metadata quorum's transport on its controller listener. Futures fail when
 * the request cannot be delivered or answered (it may have been processed anyway).
 */
public interface ControllerRoute {
    /** Sends {@code request} at {@code version} and completes with the controller's response. */
    <R extends ApiMessage> CompletableFuture<R> send(ApiMessage request, short version, long timeoutMs);

    /** Where requests go, for logs. */
    String describe();
}
