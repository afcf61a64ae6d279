package io.gregor.storage.log;

/**
 * Who is appending and under which leader epoch. A {@link Origin#CLIENT} append (a produce on the
 * leader) gets offsets assigned and headers patched; a {@link Origin#COORDINATOR} append is the
 * broker writing on the leader for a coordinator (transaction markers, transactional offset
 * commits): offsets are assigned the same way, control batches are allowed, and producer batches
 * are checked by epoch only. A {@link Origin#REPLICATION} append (a follower copying the leader)
 * keeps the batches' offsets and epochs as they are.
 */
public record AppendContext(int leaderEpoch, Origin origin) {
    public enum Origin { CLIENT, COORDINATOR, REPLICATION }

    public static AppendContext leader(int leaderEpoch) {
        return new AppendContext(leaderEpoch, Origin.CLIENT);
    }

    public static AppendContext coordinator(int leaderEpoch) {
        return new AppendContext(leaderEpoch, Origin.COORDINATOR);
    }

    public static AppendContext replication() {
        return new AppendContext(-1, Origin.REPLICATION);
    }

    /** Whether this append is on the leader and so is given its offsets. */
    public boolean assignsOffsets() {
        return origin != Origin.REPLICATION;
    }
}
