package io.gregor.broker.replication;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's side of its incremental fetch session (KIP-227) with one leader, as Kafka's
 * followers keep one: the first fetch lists every partition due and opens the session; each next
 * one lists only the partitions added or whose fetch offset, leader epoch or log start offset
 * changed, and forgets those no longer due (backed off, truncating, throttled), while the leader
 * answers with the partitions that have news. After an error, a lost answer or a leader restart
 * the next fetch is a full one again.
 *
 * <p>Used by its fetcher's thread only.
 */
final class FollowerFetchSession {
    private static final Logger LOG = LoggerFactory.getLogger(FollowerFetchSession.class);
    private static final int NO_SESSION = 0;
    private static final int INITIAL_EPOCH = 0;

    /** What the leader was last told of a partition of the session. */
    private record Told(UUID topicId, int partition, long fetchOffset, int leaderEpoch, long logStartOffset) {
        static Told of(UUID topicId, FetchRequest.FetchPartition fetch) {
            return new Told(topicId, fetch.partition(), fetch.fetchOffset(), fetch.currentLeaderEpoch(),
                    fetch.logStartOffset());
        }
    }

    private final int leaderId;
    private int sessionId = NO_SESSION;
    private int epoch = INITIAL_EPOCH;
    private Map<TopicPartition, Told> session = Map.of();
    /** The session as the request in flight leaves it, if the leader takes it. */
    private Map<TopicPartition, Told> pending = Map.of();

    FollowerFetchSession(int leaderId) {
        this.leaderId = leaderId;
    }

    /**
     * Fills in the request's session id and epoch, the partitions to list and those to forget.
     *
     * @param due      the partitions to fetch this round, each with the fetch the follower wants
     * @param topicIds each due partition's topic id
     */
    FetchRequest fill(FetchRequest request, Map<TopicPartition, FetchRequest.FetchPartition> due,
                      Map<TopicPartition, UUID> topicIds) {
        boolean full = epoch == INITIAL_EPOCH;
        Map<TopicPartition, Told> next = new HashMap<>();
        Map<UUID, FetchRequest.FetchTopic> topics = new LinkedHashMap<>();
        due.forEach((tp, fetch) -> {
            UUID topicId = topicIds.get(tp);
            Told told = Told.of(topicId, fetch);
            next.put(tp, told);
            if (full || !told.equals(session.get(tp))) {
                topics.computeIfAbsent(topicId, id -> new FetchRequest.FetchTopic().setTopic(tp.topic()).setTopicId(id))
                        .partitions().add(fetch);
            }
        });
        Map<UUID, FetchRequest.ForgottenTopic> forgotten = new LinkedHashMap<>();
        if (!full) {
            session.forEach((tp, told) -> {
                if (!next.containsKey(tp)) {
                    forgotten.computeIfAbsent(told.topicId(), id -> new FetchRequest.ForgottenTopic()
                            .setTopic(tp.topic()).setTopicId(id)).partitions().add(told.partition());
                }
            });
        }
        pending = next;
        return request.setSessionId(sessionId).setSessionEpoch(epoch)
                .setTopics(new ArrayList<>(topics.values()))
                .setForgottenTopicsData(new ArrayList<>(forgotten.values()));
    }

    /**
     * The leader answered the request {@link #fill} made.
     *
     * @return false if it refused the session (a top-level error): the answer carries no partition
     */
    boolean answered(FetchResponse response) {
        Errors error = Errors.forCode(response.errorCode());
        if (error != Errors.NONE) {
            // The leader lost the session (a restart) or we lost track of it: start over with a full fetch.
            LOG.debug("Leader {} refused fetch session {}: {}", leaderId, sessionId, error);
            sessionId = error == Errors.FETCH_SESSION_ID_NOT_FOUND ? NO_SESSION : sessionId;
            restart();
            return false;
        }
        if (response.sessionId() == NO_SESSION) {
            // No session offered (no free slot): keep asking with full fetches.
            sessionId = NO_SESSION;
            restart();
        } else {
            sessionId = response.sessionId();
            epoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
            session = pending;
        }
        return true;
    }

    /** The request failed or timed out: its answer may or may not have moved the leader's epoch. */
    void failed() {
        restart();
    }

    /** A full fetch next, which closes the session named (if any) and opens a new one. */
    private void restart() {
        epoch = INITIAL_EPOCH;
        session = Map.of();
        pending = Map.of();
    }
}
