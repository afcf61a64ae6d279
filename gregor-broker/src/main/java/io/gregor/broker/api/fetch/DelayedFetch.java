package io.gregor.broker.api.fetch;

import io.gregor.broker.purgatory.DelayedOperation;
import io.gregor.protocol.message.FetchResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A fetch waiting for {@code minBytes} of data. Each wake-up re-reads the plan (index lookups
 * and file positions only: no record bytes are copied); the reading that satisfies the fetch
 * is the one sent, so the answer reflects the data that woke it.
 */
final class DelayedFetch extends DelayedOperation {
    private final FetchPlan plan;
    private final int minBytes;
    private final CompletableFuture<FetchResponse> response;
    private volatile FetchPlan.Result satisfying;

    DelayedFetch(FetchPlan plan, int minBytes, long deadlineNanos, CompletableFuture<FetchResponse> response) {
        super(deadlineNanos);
        this.plan = plan;
        this.minBytes = minBytes;
        this.response = response;
    }

    @Override
    protected boolean isSatisfied() {
        FetchPlan.Result result = plan.read();
        boolean expired = System.nanoTime() >= deadlineNanos();
        if (result.answerNow() || result.bytes() >= Math.max(1, minBytes) || expired || plan.partitions().isEmpty()) {
            satisfying = result;
            return true;
        }
        return false;
    }

    @Override
    protected void onComplete() {
        try {
            FetchPlan.Result result = satisfying != null ? satisfying : plan.read();
            plan.sending(result);
            response.complete(result.response());
        } catch (RuntimeException e) {
            response.completeExceptionally(e);
        }
    }
}
