package io.gregor.broker.replication;

import java.util.List;

/** A partition's leadership and ISR as the controller committed them (AlterPartition's answer). */
public record CommittedIsr(int leaderId, int leaderEpoch, List<Integer> isr, int partitionEpoch) {
    public CommittedIsr {
        isr = List.copyOf(isr);
    }
}
