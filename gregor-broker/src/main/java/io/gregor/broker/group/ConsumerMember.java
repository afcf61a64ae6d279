package io.gregor.broker.group;

import io.gregor.protocol.message.ConsumerGroupHeartbeatRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

/**
 * A member of a consumer group (KIP-848 protocol): what it subscribes to, where it stands in
 * its reconciliation, and its target assignment. The first three are written to the offsets
 * topic ({@link ConsumerGroupRecords}); the timers are not.
 *
 * <p>Thread-safety: none; owned by its shard's thread.
 */
final class ConsumerMember {
    private final String memberId;
    private Subscription subscription;
    private MemberAssignment assignment;
    private Map<UUID, Set<Integer>> target = Assignments.NONE;
    /** A static member that left with epoch -2 and may come back under its instance id. */
    private boolean temporarilyLeft;
    private ScheduledFuture<?> sessionExpiry;
    private ScheduledFuture<?> revocationTimeout;

    /**
     * What a member tells the coordinator about itself; heartbeats send a field again only when
     * it changed.
     */
    record Subscription(Optional<String> instanceId, Optional<String> rackId, String clientId, String clientHost,
                        int rebalanceTimeoutMs, List<String> topicNames, Optional<String> topicRegex,
                        Optional<String> serverAssignor) {
        Subscription {
            topicNames = List.copyOf(topicNames);
        }

        static Subscription empty(ClientInfo client) {
            return new Subscription(Optional.empty(), Optional.empty(), client.clientId(), client.clientHost(), -1,
                    List.of(), Optional.empty(), Optional.empty());
        }

        /** This subscription with what the heartbeat changed. */
        Subscription updatedBy(ConsumerGroupHeartbeatRequest request, ClientInfo client) {
            return new Subscription(
                    request.instanceId() != null ? Optional.of(request.instanceId()) : instanceId,
                    request.rackId() != null ? Optional.of(request.rackId()) : rackId,
                    client.clientId(), client.clientHost(),
                    request.rebalanceTimeoutMs() >= 0 ? request.rebalanceTimeoutMs() : rebalanceTimeoutMs,
                    request.subscribedTopicNames() != null ? request.subscribedTopicNames() : topicNames,
                    request.subscribedTopicRegex() != null
                            ? Optional.of(request.subscribedTopicRegex()).filter(regex -> !regex.isEmpty())
                            : topicRegex,
                    request.serverAssignor() != null ? Optional.of(request.serverAssignor()) : serverAssignor);
        }

        /** Whether the group's target assignment may differ between the two. */
        boolean assignsLike(Subscription other) {
            return Set.copyOf(topicNames).equals(Set.copyOf(other.topicNames)) && topicRegex.equals(other.topicRegex)
                    && serverAssignor.equals(other.serverAssignor);
        }
    }

    ConsumerMember(String memberId, Subscription subscription, MemberAssignment assignment) {
        this.memberId = memberId;
        this.subscription = subscription;
        this.assignment = assignment;
    }

    String memberId() {
        return memberId;
    }

    Subscription subscription() {
        return subscription;
    }

    void subscription(Subscription newSubscription) {
        this.subscription = newSubscription;
    }

    MemberAssignment assignment() {
        return assignment;
    }

    void assignment(MemberAssignment newAssignment) {
        this.assignment = newAssignment;
    }

    Map<UUID, Set<Integer>> target() {
        return target;
    }

    void target(Map<UUID, Set<Integer>> newTarget) {
        this.target = Assignments.copy(newTarget);
    }

    boolean temporarilyLeft() {
        return temporarilyLeft;
    }

    void temporarilyLeft(boolean left) {
        this.temporarilyLeft = left;
    }

    /** The epoch the member is told and describe shows: -2 while a static member is away. */
    int visibleEpoch() {
        return temporarilyLeft ? ConsumerGroupMembership.STATIC_LEAVE_EPOCH : assignment.epoch();
    }

    void sessionExpiry(ScheduledFuture<?> expiry) {
        cancelSessionExpiry();
        this.sessionExpiry = expiry;
    }

    void revocationTimeout(ScheduledFuture<?> timeout) {
        cancelRevocationTimeout();
        this.revocationTimeout = timeout;
    }

    boolean revocationTimerRunning() {
        return revocationTimeout != null && !revocationTimeout.isDone();
    }

    void cancelSessionExpiry() {
        if (sessionExpiry != null) {
            sessionExpiry.cancel(false);
            sessionExpiry = null;
        }
    }

    void cancelRevocationTimeout() {
        if (revocationTimeout != null) {
            revocationTimeout.cancel(false);
            revocationTimeout = null;
        }
    }

    void cancelTimers() {
        cancelSessionExpiry();
        cancelRevocationTimeout();
    }
}
