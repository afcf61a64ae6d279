package io.gregor.broker.group;

import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.MemoryRecords;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/** What a shard's parts need from the shard: its clock, its timers and its log, all on its thread. */
interface ShardContext {
    long now();

    /** Runs {@code task} on the shard's thread after {@code delayMs}, unless the shard is unloaded first. */
    void schedule(Runnable task, long delayMs, Consumer<ScheduledFuture<?>> keep);

    /** Writes records to the shard's log; the answer (NONE or a coordinator error) arrives on the shard's thread. */
    CompletableFuture<Errors> append(MemoryRecords records);

    /**
     * Writes a producer's transactional batch (its id and epoch in the header, no sequence),
     * checked by the partition against the producer's epoch; the answer may also be
     * INVALID_PRODUCER_EPOCH.
     */
    CompletableFuture<Errors> appendTransactional(MemoryRecords records);
}
