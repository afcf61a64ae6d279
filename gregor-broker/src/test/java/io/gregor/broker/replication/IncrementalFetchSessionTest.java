package io.gregor.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.fetch.FetchHandler;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer's fetch session on a real leader's Fetch handler: the full fetch that opens it, then
 * incremental fetches that list only what changed and are answered with only the partitions that
 * have news, whether at once or after a long poll.
 */
class IncrementalFetchSessionTest {
    private static final short ACKS_LEADER = 1;
    private static final long TIMEOUT_MS = 30_000;
    private static final short FETCH_VERSION = 17;
    private static final ReplicationConfig CONFIG = new ReplicationConfig(60_000, 100, 1, 10 * 1024 * 1024,
            1024 * 1024, 50, 1_000);

    @TempDir
    Path dir;
    private InProcessCluster cluster;
    private FetchHandler handler;
    private final List<UUID> topics = new ArrayList<>();

    @BeforeEach
    void start() {
        cluster = new InProcessCluster(dir, CONFIG, 1);
        for (String topic : List.of("a", "b", "c")) {
            topics.add(cluster.createTopic(topic, List.of(1), List.of(1), 1, Map.of()));
        }
        handler = cluster.node(1).fetchHandler(Runnable::run);
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void incrementalAnswersCarryOnlyThePartitionsWithNews() throws Exception {
        append("a", "x");
        FetchResponse opened = fetch(0, 0, 0, topics).get(5, TimeUnit.SECONDS);
        assertThat(opened.sessionId()).isNotZero();
        assertThat(opened.responses()).hasSize(3);

        // the consumer moves on in "a" only: that is all the next request lists
        FetchResponse quiet = fetch(opened.sessionId(), 1, 0, List.of(), fetchAt(topics.get(0), 1))
                .get(5, TimeUnit.SECONDS);
        assertThat(quiet.errorCode()).isZero();
        assertThat(quiet.sessionId()).isEqualTo(opened.sessionId());
        assertThat(quiet.responses()).isEmpty();

        append("c", "y");
        FetchResponse news = fetch(opened.sessionId(), 2, 0, List.of()).get(5, TimeUnit.SECONDS);
        assertThat(news.responses()).extracting(FetchResponse.FetchableTopicResponse::topicId)
                .containsExactly(topics.get(2));
        FetchResponse.PartitionData c = news.responses().get(0).partitions().get(0);
        assertThat(c.records().sizeInBytes()).isPositive();
        assertThat(c.highWatermark()).isEqualTo(1);
    }

    @Test
    void aParkedIncrementalFetchIsAnsweredByAnAppendWithThatPartitionOnly() throws Exception {
        FetchResponse opened = fetch(0, 0, 0, topics).get(5, TimeUnit.SECONDS);

        CompletableFuture<FetchResponse> parked = fetch(opened.sessionId(), 1, 20_000, List.of());
        assertThat(parked).isNotDone();
        append("b", "z");

        FetchResponse answer = parked.get(5, TimeUnit.SECONDS);
        assertThat(answer.sessionId()).isEqualTo(opened.sessionId());
        assertThat(answer.responses()).extracting(FetchResponse.FetchableTopicResponse::topicId)
                .containsExactly(topics.get(1));
        // "b" is still at offset 0 for the client, which has not yet consumed: the next answer repeats it
        FetchResponse again = fetch(opened.sessionId(), 2, 0, List.of()).get(5, TimeUnit.SECONDS);
        assertThat(again.responses()).extracting(FetchResponse.FetchableTopicResponse::topicId)
                .containsExactly(topics.get(1));
    }

    @Test
    void aForgottenPartitionIsNoLongerReadNorAnswered() throws Exception {
        FetchResponse opened = fetch(0, 0, 0, topics).get(5, TimeUnit.SECONDS);
        FetchRequest forget = request(opened.sessionId(), 1, 0, List.of());
        forget.setForgottenTopicsData(List.of(new FetchRequest.ForgottenTopic().setTopicId(topics.get(0))
                .setPartitions(List.of(0))));
        handler.handle(context(), forget).get(5, TimeUnit.SECONDS);

        append("a", "x");
        FetchResponse answer = fetch(opened.sessionId(), 2, 0, List.of()).get(5, TimeUnit.SECONDS);

        assertThat(answer.responses()).isEmpty();
    }

    @Test
    void aReplayedEpochIsRefusedAndTheClientStartsOverWithAFullFetch() throws Exception {
        FetchResponse opened = fetch(0, 0, 0, topics).get(5, TimeUnit.SECONDS);
        fetch(opened.sessionId(), 1, 0, List.of()).get(5, TimeUnit.SECONDS);

        FetchResponse replayed = fetch(opened.sessionId(), 1, 0, List.of()).get(5, TimeUnit.SECONDS);
        assertThat(replayed.errorCode()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH.code());
        assertThat(replayed.sessionId()).isZero();
        assertThat(replayed.responses()).isEmpty();

        FetchResponse restarted = fetch(opened.sessionId(), 0, 0, topics).get(5, TimeUnit.SECONDS);
        assertThat(restarted.sessionId()).isNotZero().isNotEqualTo(opened.sessionId());
        assertThat(restarted.responses()).hasSize(3);
        FetchResponse gone = fetch(opened.sessionId(), 2, 0, List.of()).get(5, TimeUnit.SECONDS);
        assertThat(gone.errorCode()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
    }

    private void append(String topic, String value) {
        cluster.node(1).partition(topic).appendAsLeader(InProcessCluster.batch(value), ACKS_LEADER, TIMEOUT_MS)
                .join();
    }

    private CompletableFuture<FetchResponse> fetch(int sessionId, int epoch, int maxWaitMs, List<UUID> fromZero,
                                                   FetchRequest.FetchTopic... moved) {
        FetchRequest request = request(sessionId, epoch, maxWaitMs, fromZero);
        request.topics().addAll(List.of(moved));
        return handler.handle(context(), request);
    }

    private static FetchRequest request(int sessionId, int epoch, int maxWaitMs, List<UUID> fromZero) {
        List<FetchRequest.FetchTopic> topics = new ArrayList<>();
        for (UUID id : fromZero) {
            topics.add(fetchAt(id, 0));
        }
        return new FetchRequest().setSessionId(sessionId).setSessionEpoch(epoch).setMinBytes(1)
                .setMaxWaitMs(maxWaitMs).setMaxBytes(1024 * 1024).setTopics(topics);
    }

    private static FetchRequest.FetchTopic fetchAt(UUID topicId, long offset) {
        return new FetchRequest.FetchTopic().setTopicId(topicId).setPartitions(new ArrayList<>(List.of(
                new FetchRequest.FetchPartition().setPartition(0).setFetchOffset(offset)
                        .setPartitionMaxBytes(1024 * 1024))));
    }

    private static RequestContext context() {
        return new RequestContext(ApiKey.FETCH.id(), FETCH_VERSION, 1, "consumer", "test",
                InetAddress.getLoopbackAddress(), "PLAINTEXT");
    }
}
