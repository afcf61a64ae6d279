package io.gregor.metadata.quorum;

/**
 * How far another replica of the metadata log is, as the quorum's leader sees it (DescribeQuorum).
 *
 * @param logEndOffset the metadata offset (records) the replica has committed up to, or -1 if unknown
 * @param lastFetchTimestamp when the leader last heard from the replica (epoch ms), or -1 if unknown
 */
public record ReplicaProgress(long logEndOffset, long lastFetchTimestamp) {
}
