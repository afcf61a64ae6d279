package io.gregor.broker.group;

import io.gregor.protocol.message.JoinGroupResponse;
import io.gregor.protocol.message.SyncGroupResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One member of a classic group: what it joined with, the assignment the leader gave it, and
 * the requests of it the coordinator is holding (a JoinGroup waiting for the rebalance, a
 * SyncGroup waiting for the leader's assignment) with its session timer.
 *
 * <p>Thread-safety: none; owned by the thread of the coordinator shard of its group.
 */
final class GroupMember {
    static final byte[] NO_ASSIGNMENT = new byte[0];

    /** A protocol the member supports, in its order of preference, with its metadata. */
    record Protocol(String name, byte[] metadata) {
    }

    private final String memberId;
    private final Optional<String> groupInstanceId;
    private String clientId;
    private String clientHost;
    private int sessionTimeoutMs;
    private int rebalanceTimeoutMs;
    private List<Protocol> protocols;
    private byte[] assignment = NO_ASSIGNMENT;
    private CompletableFuture<JoinGroupResponse> awaitingJoin;
    private CompletableFuture<SyncGroupResponse> awaitingSync;
    private ScheduledFuture<?> sessionExpiry;

    GroupMember(String memberId, Optional<String> groupInstanceId, String clientId, String clientHost,
                int sessionTimeoutMs, int rebalanceTimeoutMs, List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    /** The same member under a new id: a static member that restarted. */
    GroupMember withNewId(String newMemberId) {
        GroupMember replacement = new GroupMember(newMemberId, groupInstanceId, clientId, clientHost,
                sessionTimeoutMs, rebalanceTimeoutMs, protocols);
        replacement.assignment = assignment;
        return replacement;
    }

    String memberId() {
        return memberId;
    }

    Optional<String> groupInstanceId() {
        return groupInstanceId;
    }

    boolean isStatic() {
        return groupInstanceId.isPresent();
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    List<Protocol> protocols() {
        return protocols;
    }

    /** Takes what a new JoinGroup of this member says about it. */
    void update(String newClientId, String newClientHost, int newSessionTimeoutMs, int newRebalanceTimeoutMs,
                List<Protocol> newProtocols) {
        this.clientId = newClientId;
        this.clientHost = newClientHost;
        this.sessionTimeoutMs = newSessionTimeoutMs;
        this.rebalanceTimeoutMs = newRebalanceTimeoutMs;
        this.protocols = List.copyOf(newProtocols);
    }

    /** Whether a JoinGroup with these protocols asks for nothing new. */
    boolean sameProtocols(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!other.get(i).name().equals(protocols.get(i).name())
                    || !Arrays.equals(other.get(i).metadata(), protocols.get(i).metadata())) {
                return false;
            }
        }
        return true;
    }

    boolean supports(String protocolName) {
        return protocols.stream().anyMatch(p -> p.name().equals(protocolName));
    }

    /** The member's metadata for the protocol the group chose; empty bytes if it lacks it. */
    byte[] metadataFor(String protocolName) {
        return protocols.stream().filter(p -> p.name().equals(protocolName)).findFirst()
                .map(Protocol::metadata).orElse(NO_ASSIGNMENT);
    }

    byte[] assignment() {
        return assignment;
    }

    void assignment(byte[] newAssignment) {
        this.assignment = newAssignment;
    }

    Optional<CompletableFuture<JoinGroupResponse>> awaitingJoin() {
        return Optional.ofNullable(awaitingJoin);
    }

    void awaitJoin(CompletableFuture<JoinGroupResponse> future) {
        this.awaitingJoin = future;
    }

    /** Hands back the held JoinGroup, if any, so the caller completes it; the member no longer waits. */
    Optional<CompletableFuture<JoinGroupResponse>> takeAwaitingJoin() {
        Optional<CompletableFuture<JoinGroupResponse>> join = Optional.ofNullable(awaitingJoin);
        awaitingJoin = null;
        return join;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    void awaitSync(CompletableFuture<SyncGroupResponse> future) {
        this.awaitingSync = future;
    }

    Optional<CompletableFuture<SyncGroupResponse>> takeAwaitingSync() {
        Optional<CompletableFuture<SyncGroupResponse>> sync = Optional.ofNullable(awaitingSync);
        awaitingSync = null;
        return sync;
    }

    void sessionExpiry(ScheduledFuture<?> expiry) {
        cancelSessionExpiry();
        this.sessionExpiry = expiry;
    }

    void cancelSessionExpiry() {
        if (sessionExpiry != null) {
            sessionExpiry.cancel(false);
            sessionExpiry = null;
        }
    }
}
