package io.gregor.broker.api.fetch;

import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.FetchRequest;
import java.util.List;

/**
 * What a fetch's session_id and session_epoch ask of the session cache, decided when the request
 * arrives (as Kafka's FetchManager does): so an incremental request is applied to its session, and
 * the epoch moved on, once, however long the fetch then waits for data.
 */
sealed interface SessionContext {
    /** Fetch v13 named topics by id: a session is of one kind or the other. */
    short FIRST_TOPIC_ID_VERSION = 13;

    /** A full fetch with epoch -1, or of a version before 7: answered with session id 0. */
    record Sessionless() implements SessionContext {
    }

    /** A full fetch with epoch 0: its answer opens a session if the cache has room for one. */
    record Opening(FetchSessionCache cache, boolean privileged, boolean usesTopicIds) implements SessionContext {
    }

    /**
     * An incremental fetch, already applied to its session.
     *
     * @param partitions the session's partitions after it, which the fetch reads
     */
    record Incremental(FetchSession session, List<CachedPartition> partitions) implements SessionContext {
    }

    /** An incremental fetch answered with a top-level error and nothing read. */
    record Failed(Errors error) implements SessionContext {
    }

    SessionContext SESSIONLESS = new Sessionless();

    /**
     * @param follower a follower's sessions are privileged: only another follower may evict them while new
     */
    static SessionContext of(FetchSessionCache cache, FetchRequest request, short version, boolean follower) {
        boolean usesTopicIds = version >= FIRST_TOPIC_ID_VERSION;
        int epoch = request.sessionEpoch();
        if (epoch == FetchSession.INITIAL_EPOCH || epoch == FetchSession.FINAL_EPOCH) {
            if (request.sessionId() != FetchSession.NO_SESSION) {
                // The client starts over (after an error, or when it wants no session): the session it names goes.
                cache.remove(request.sessionId());
            }
            return epoch == FetchSession.FINAL_EPOCH ? SESSIONLESS : new Opening(cache, follower, usesTopicIds);
        }
        FetchSession session = cache.get(request.sessionId());
        if (session == null) {
            return new Failed(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        List<CachedPartition> partitions;
        synchronized (session) {
            if (session.epoch() != epoch) {
                return new Failed(Errors.INVALID_FETCH_SESSION_EPOCH);
            }
            if (session.usesTopicIds() != usesTopicIds) {
                return new Failed(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
            }
            partitions = session.apply(request.topics(), request.forgottenTopicsData());
        }
        cache.touch(session);
        return new Incremental(session, partitions);
    }
}
