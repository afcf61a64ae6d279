package io.gregor.broker.quota;

/**
 * What one CreateTopics, CreatePartitions or DeleteTopics request may mutate under its client's
 * controller_mutation_rate ({@link MutationQuotas}): each topic is admitted, or refused with
 * THROTTLING_QUOTA_EXCEEDED, in the request's order; the response then carries the throttle time.
 */
public interface MutationQuota {
    /** No quota applies: every mutation is admitted and nothing is throttled. */
    MutationQuota UNLIMITED = new MutationQuota() {
        @Override
        public boolean admit(int partitions) {
            return true;
        }

        @Override
        public void giveBack(int partitions) {
        }

        @Override
        public long throttleMs(int mutations) {
            return 0;
        }
    };

    /**
     * Whether a topic's {@code partitions} mutations may go ahead; if so they are counted. A
     * request of a version without THROTTLING_QUOTA_EXCEEDED always goes ahead, and is throttled.
     */
    boolean admit(int partitions);

    /** Gives back what {@link #admit} counted for a topic that then failed for another reason. */
    void giveBack(int partitions);

    /**
     * Ends the request: counts its {@code mutations} for the meters and says how long the client
     * must wait before its quota admits more, in ms (0 when it is within it).
     */
    long throttleMs(int mutations);
}
