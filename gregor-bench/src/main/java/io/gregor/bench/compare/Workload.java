package io.gregor.bench.compare;

/**
 * How much load each phase puts on a broker. QUICK is sized to finish both brokers in under
 * two minutes on two cores; FULL matches the orientation figures in issue 8 (2M records of 1 KB).
 */
record Workload(String name, long warmUpRecords, long produceRecords, long manyPartitionRecords, int endToEndRoundTrips,
                int latencyWarmUpSeconds, int latencyProbeSeconds, long compactionRecords, int compactionSegmentBytes) {
    static final int RECORD_SIZE = 1024;
    static final int PARTITIONS = 3;
    static final int MANY_PARTITIONS = 1000;
    static final int BATCH_SIZE = 64 * 1024;
    static final int LINGER_MS = 5;
    /** Records per second of the latency probe: moderate, so that latency, not throughput, is measured. */
    static final int LATENCY_RATE = 1000;

    /** Records per key in the compaction phase: a cleaned log keeps one in a hundred. */
    static final int RECORDS_PER_KEY = 100;

    static final Workload QUICK = new Workload("quick", 50_000, 100_000, 25_000, 1_000, 10, 5, 100_000, 16 << 20);
    /**
     * The warm-up's two rounds together are as long as one produce phase. The latency probe's
     * client needs about ten seconds to compile itself (see {@link LatencyProbe}). The compaction phase
     * cleans a 1 GB dirty log (1M records of 1 KB over 10k keys), as issue 7 asks.
     */
    static final Workload FULL = new Workload("full", 1_000_000, 2_000_000, 500_000, 10_000, 15, 30, 1_000_000, 64 << 20);

    int compactionKeys() {
        return (int) (compactionRecords / RECORDS_PER_KEY);
    }
}
