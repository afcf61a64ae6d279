package io.gregor.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FollowerFetchSessionTest {
    private static final UUID TOPIC_ID = UUID.randomUUID();
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final TopicPartition P2 = new TopicPartition("t", 2);

    private final FollowerFetchSession session = new FollowerFetchSession(1);

    @Test
    void theFirstFetchIsFullAndTheNextListOnlyWhatChangedAndForgetWhatIsNoLongerDue() {
        FetchRequest first = fill(Map.of(P0, 5L, P1, 7L, P2, 9L));
        assertThat(first.sessionId()).isZero();
        assertThat(first.sessionEpoch()).isZero();
        assertThat(listed(first)).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(session.answered(new FetchResponse().setSessionId(42))).isTrue();

        FetchRequest second = fill(Map.of(P0, 6L, P1, 7L));

        assertThat(second.sessionId()).isEqualTo(42);
        assertThat(second.sessionEpoch()).isEqualTo(1);
        assertThat(listed(second)).containsExactly(0);
        assertThat(second.forgottenTopicsData()).singleElement().satisfies(topic -> {
            assertThat(topic.topicId()).isEqualTo(TOPIC_ID);
            assertThat(topic.partitions()).containsExactly(2);
        });
        session.answered(new FetchResponse().setSessionId(42));

        FetchRequest third = fill(Map.of(P0, 6L, P1, 7L, P2, 9L));
        assertThat(third.sessionEpoch()).isEqualTo(2);
        assertThat(listed(third)).containsExactly(2);
        assertThat(third.forgottenTopicsData()).isEmpty();
    }

    @Test
    void aLeaderThatLostTheSessionGetsAFullFetchWithoutASessionId() {
        openSession();

        assertThat(session.answered(new FetchResponse().setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code())))
                .isFalse();

        FetchRequest next = fill(Map.of(P0, 5L, P1, 7L));
        assertThat(next.sessionId()).isZero();
        assertThat(next.sessionEpoch()).isZero();
        assertThat(listed(next)).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void afterAWrongEpochOrALostAnswerTheFullFetchClosesTheSessionItNames() {
        openSession();
        assertThat(session.answered(new FetchResponse().setErrorCode(Errors.INVALID_FETCH_SESSION_EPOCH.code())))
                .isFalse();
        FetchRequest afterError = fill(Map.of(P0, 5L, P1, 7L));
        assertThat(afterError.sessionId()).isEqualTo(42);
        assertThat(afterError.sessionEpoch()).isZero();
        assertThat(listed(afterError)).containsExactlyInAnyOrder(0, 1);

        session.answered(new FetchResponse().setSessionId(43));
        fill(Map.of(P0, 5L, P1, 7L));
        session.failed();
        FetchRequest afterFailure = fill(Map.of(P0, 5L, P1, 7L));
        assertThat(afterFailure.sessionId()).isEqualTo(43);
        assertThat(afterFailure.sessionEpoch()).isZero();
        assertThat(listed(afterFailure)).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void withoutASessionOfferedEveryFetchIsFull() {
        fill(Map.of(P0, 5L));
        session.answered(new FetchResponse().setSessionId(0));

        FetchRequest next = fill(Map.of(P0, 5L));

        assertThat(next.sessionEpoch()).isZero();
        assertThat(listed(next)).containsExactly(0);
    }

    private void openSession() {
        fill(Map.of(P0, 5L, P1, 7L));
        session.answered(new FetchResponse().setSessionId(42));
    }

    private FetchRequest fill(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, FetchRequest.FetchPartition> due = new LinkedHashMap<>();
        Map<TopicPartition, UUID> ids = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> {
            due.put(tp, new FetchRequest.FetchPartition().setPartition(tp.partition()).setFetchOffset(offset));
            ids.put(tp, TOPIC_ID);
        });
        return session.fill(new FetchRequest(), due, ids);
    }

    private static List<Integer> listed(FetchRequest request) {
        return request.topics().stream().flatMap(topic -> topic.partitions().stream())
                .map(FetchRequest.FetchPartition::partition).toList();
    }
}
