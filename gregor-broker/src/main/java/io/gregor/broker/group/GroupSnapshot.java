package io.gregor.broker.group;

import java.util.List;
import java.util.Optional;

/**
 * A classic group as it is written to {@code __consumer_offsets} after each completed rebalance
 * and when it empties: enough to resume it after a restart without a rebalance.
 */
public record GroupSnapshot(String protocolType, int generationId, Optional<String> protocolName,
                            Optional<String> leaderId, List<MemberSnapshot> members) {
    public GroupSnapshot {
        members = List.copyOf(members);
    }

    /** One member with its subscription (metadata of the chosen protocol) and its assignment. */
    public record MemberSnapshot(String memberId, Optional<String> groupInstanceId, String clientId,
                                 String clientHost, int rebalanceTimeoutMs, int sessionTimeoutMs,
                                 byte[] subscription, byte[] assignment) {
    }
}
