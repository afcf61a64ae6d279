package io.gregor.broker.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The leader's view of a partition's replicas: how far each follower has fetched, when it was
 * last caught up, which replicas are in sync, and from that the high watermark.
 *
 * <ul>
 *   <li>A follower's log end offset is the offset of its latest fetch: it asks for what it does
 *       not have yet.</li>
 *   <li>A follower is caught up at a fetch that asks for the leader's log end offset; a fetch
 *       that asks for at least the leader's log end offset of the follower's previous fetch
 *       shows it was caught up at that previous fetch. A follower in the ISR not caught up for
 *       {@code replica.lag.time.max.ms} is dropped from it.</li>
 *   <li>A follower outside the ISR rejoins once it has everything below the high watermark and
 *       everything written in the current leader epoch.</li>
 *   <li>The high watermark is the lowest log end offset over the ISR. While a change of the ISR
 *       waits for the controller, the ISR counted is the union of the committed and the
 *       proposed sets: a replica being added may not yet be relied on by the controller, and a
 *       replica being removed is still one the controller may elect, so neither can be left
 *       out.</li>
 * </ul>
 *
 * <p>Not thread-safe: its {@code Partition} calls it under the partition's monitor.
 */
public final class InSyncReplicas {
    /** A follower's log end offset before its first fetch to this leader. */
    public static final long UNKNOWN_OFFSET = -1;

    private final int leaderId;
    private final Map<Integer, FollowerProgress> followers = new HashMap<>();
    private List<Integer> isr;
    private int partitionEpoch;
    private Optional<List<Integer>> proposed = Optional.empty();
    private List<Integer> maximalIsr;

    /**
     * @param nowMs the moment this broker became leader: followers in the ISR count as caught up
     *              then, so that they are not dropped before they had a chance to fetch
     */
    public InSyncReplicas(int leaderId, List<Integer> replicas, List<Integer> isr, int partitionEpoch, long nowMs) {
        this.leaderId = leaderId;
        for (int replica : replicas) {
            if (replica != leaderId) {
                followers.put(replica, new FollowerProgress(isr.contains(replica) ? nowMs : 0));
            }
        }
        this.isr = List.copyOf(isr);
        this.partitionEpoch = partitionEpoch;
        this.maximalIsr = this.isr;
    }

    public List<Integer> isr() {
        return isr;
    }

    public int partitionEpoch() {
        return partitionEpoch;
    }

    /** The ISR counted for the high watermark: committed plus proposed members. */
    public List<Integer> maximalIsr() {
        return maximalIsr;
    }

    public boolean changeInFlight() {
        return proposed.isPresent();
    }

    /** The follower's log end offset as of its latest fetch, or {@link #UNKNOWN_OFFSET}. */
    public long followerLogEndOffset(int replicaId) {
        FollowerProgress progress = followers.get(replicaId);
        return progress == null ? UNKNOWN_OFFSET : progress.logEndOffset;
    }

    /**
     * Whether {@code highWatermark} is higher than the last one this leader sent the follower, so
     * that its parked fetch should be answered to tell it (it serves consumers up to it, KIP-392).
     */
    public boolean isHighWatermarkNewTo(int replicaId, long highWatermark) {
        FollowerProgress progress = followers.get(replicaId);
        return progress != null && highWatermark > progress.highWatermarkSent;
    }

    /** An answer carrying {@code highWatermark} is being sent to the follower. */
    public void highWatermarkSent(int replicaId, long highWatermark) {
        FollowerProgress progress = followers.get(replicaId);
        if (progress != null) {
            progress.highWatermarkSent = Math.max(progress.highWatermarkSent, highWatermark);
        }
    }

    /** When the follower last had everything this leader had, as far as its fetches showed. */
    public long followerLastCaughtUpTimeMs(int replicaId) {
        FollowerProgress progress = followers.get(replicaId);
        return progress == null ? 0 : progress.lastCaughtUpTimeMs;
    }

    /**
     * Records a fetch of {@code replicaId} at {@code fetchOffset} while the leader's log ended at
     * {@code leaderLogEndOffset}. Returns false for a replica that is not a follower of this
     * partition.
     */
    public boolean onFollowerFetch(int replicaId, long fetchOffset, long leaderLogEndOffset, long nowMs) {
        FollowerProgress progress = followers.get(replicaId);
        if (progress == null) {
            return false;
        }
        if (fetchOffset >= leaderLogEndOffset) {
            progress.lastCaughtUpTimeMs = Math.max(progress.lastCaughtUpTimeMs, nowMs);
        } else if (fetchOffset >= progress.lastFetchLeaderLogEndOffset) {
            progress.lastCaughtUpTimeMs = Math.max(progress.lastCaughtUpTimeMs, progress.lastFetchTimeMs);
        }
        progress.logEndOffset = fetchOffset;
        progress.lastFetchLeaderLogEndOffset = leaderLogEndOffset;
        progress.lastFetchTimeMs = nowMs;
        return true;
    }

    /** The lowest log end offset over the (maximal) ISR; unknown followers count as -1. */
    public long highWatermark(long leaderLogEndOffset) {
        long lowest = leaderLogEndOffset;
        for (int replica : maximalIsr) {
            if (replica != leaderId) {
                lowest = Math.min(lowest, followerLogEndOffset(replica));
            }
        }
        return lowest;
    }

    /**
     * The ISR with {@code replicaId} added, when it is a follower outside the ISR that has caught
     * up: its log end offset is at least the high watermark and the start of the leader's epoch.
     * Empty while another change is in flight.
     */
    public Optional<List<Integer>> expansionFor(int replicaId, long highWatermark, long leaderEpochStartOffset) {
        FollowerProgress progress = followers.get(replicaId);
        if (progress == null || proposed.isPresent() || isr.contains(replicaId)) {
            return Optional.empty();
        }
        if (progress.logEndOffset < highWatermark || progress.logEndOffset < leaderEpochStartOffset) {
            return Optional.empty();
        }
        List<Integer> grown = new ArrayList<>(isr);
        grown.add(replicaId);
        return Optional.of(grown);
    }

    /**
     * The ISR without the followers that have not been caught up for longer than
     * {@code maxLagMs}, when there are any. Empty while another change is in flight.
     */
    public Optional<List<Integer>> shrinkage(long nowMs, long maxLagMs, long leaderLogEndOffset) {
        if (proposed.isPresent()) {
            return Optional.empty();
        }
        List<Integer> kept = new ArrayList<>(isr.size());
        for (int replica : isr) {
            FollowerProgress progress = followers.get(replica);
            boolean lagging = progress != null
                    && progress.logEndOffset < leaderLogEndOffset
                    && nowMs - progress.lastCaughtUpTimeMs > maxLagMs;
            if (!lagging) {
                kept.add(replica);
            }
        }
        return kept.size() == isr.size() ? Optional.empty() : Optional.of(kept);
    }

    /** A change was sent to the controller; until it is answered no other is proposed. */
    public void propose(List<Integer> newIsr) {
        proposed = Optional.of(List.copyOf(newIsr));
        Set<Integer> union = new LinkedHashSet<>(isr);
        union.addAll(newIsr);
        maximalIsr = List.copyOf(union);
    }

    /** The proposal was refused or lost: the committed ISR stands. */
    public void proposalFailed() {
        proposed = Optional.empty();
        maximalIsr = isr;
    }

    /**
     * The controller committed an ISR (our proposal, or a change of its own) at
     * {@code newPartitionEpoch}. The state already known, or an older one, is ignored: metadata
     * updates for other partitions repeat it, and must not end a proposal in flight. Returns
     * whether it was applied.
     */
    public boolean committed(List<Integer> newIsr, int newPartitionEpoch) {
        if (newPartitionEpoch <= partitionEpoch) {
            return false;
        }
        isr = List.copyOf(newIsr);
        partitionEpoch = newPartitionEpoch;
        proposed = Optional.empty();
        maximalIsr = isr;
        return true;
    }

    /**
     * A committed change that may also change the replicas (a reassignment starting, completing
     * or cancelled): replicas added become followers, not caught up yet; replicas removed are no
     * longer tracked. Returns whether it was applied.
     */
    public boolean committed(List<Integer> replicas, List<Integer> newIsr, int newPartitionEpoch) {
        if (!committed(newIsr, newPartitionEpoch)) {
            return false;
        }
        followers.keySet().retainAll(replicas);
        for (int replica : replicas) {
            if (replica != leaderId) {
                followers.computeIfAbsent(replica, r -> new FollowerProgress(0));
            }
        }
        return true;
    }

    /** What the leader knows of one follower. */
    private static final class FollowerProgress {
        long logEndOffset = UNKNOWN_OFFSET;
        long lastCaughtUpTimeMs;
        long lastFetchTimeMs;
        long lastFetchLeaderLogEndOffset = UNKNOWN_OFFSET;
        long highWatermarkSent = UNKNOWN_OFFSET;

        FollowerProgress(long lastCaughtUpTimeMs) {
            this.lastCaughtUpTimeMs = lastCaughtUpTimeMs;
        }
    }
}
