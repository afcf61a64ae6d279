package io.gregor.storage.log;

/**
 * Who is appending and under which leader epoch. A {@link Origin#CLIENT} append (a produce on the
 * leader) gets offsets assigned and headers patched; a {@link Origin#REPLICATION} append (a
 * follower copying the leader) keeps the batches' offsets and epochs as they are.
 */
public record AppendContext(int leaderEpoch, Origin origin) {
    public enum Origin { CLIENT, REPLICATION }

    public static AppendContext leader(int leaderEpoch) {
        return new AppendContext(leaderEpoch, Origin.CLIENT);
    }

    public static AppendContext replication() {
        return new AppendContext(-1, Origin.REPLICATION);
    }
}
