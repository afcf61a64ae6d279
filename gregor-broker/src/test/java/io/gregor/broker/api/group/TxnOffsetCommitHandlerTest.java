package io.gregor.broker.api.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.broker.group.GroupCoordinatorConfig;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.TxnOffsetCommitRequest;
import io.gregor.protocol.message.TxnOffsetCommitResponse;
import io.gregor.metadata.control.ConfigSchema;
import io.gregor.metadata.control.ControllerSettings;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.quorum.LocalMetadataLog;
import io.gregor.protocol.config.ConfigDef;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TxnOffsetCommit asks the transaction coordinator first: add for transaction V2, verify before. */
class TxnOffsetCommitHandlerTest {
    private QuorumController controller;
    private GroupCoordinator coordinator;
    private final List<Boolean> adds = new ArrayList<>();

    /** A controller that is never started: its image is empty, so no offsets partition is led here. */
    @BeforeEach
    void create(@TempDir Path logDir) throws IOException {
        controller = new QuorumController("cluster", new LocalMetadataLog(logDir),
                new ControllerSettings(1, (short) 1, new ConfigSchema(new ConfigDef(), new ConfigDef())));
        coordinator = new GroupCoordinator(new GroupCoordinatorConfig(1, (short) 1, 0, 100,
                60_000, 3, 4096, 60_000, 20), controller, 1, 1, Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        coordinator.close();
        controller.close();
    }

    @Test
    void transactionV2CommitAddsTheOffsetsPartitionAndAFencedProducerGetsInvalidProducerEpoch() throws Exception {
        TxnOffsetCommitResponse response = handle((short) 5, Errors.PRODUCER_FENCED);

        assertThat(adds).containsExactly(true);
        assertThat(errors(response)).containsExactly(Errors.INVALID_PRODUCER_EPOCH, Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void olderCommitIsOnlyVerifiedAndGetsTheErrorsItsVersionKnows() throws Exception {
        TxnOffsetCommitResponse response = handle((short) 3, Errors.TRANSACTION_ABORTABLE);

        assertThat(adds).containsExactly(false);
        assertThat(errors(response)).containsExactly(Errors.INVALID_TXN_STATE, Errors.INVALID_TXN_STATE);
    }

    @Test
    void verifiedCommitGoesToTheGroupsShard() throws Exception {
        TxnOffsetCommitResponse response = handle((short) 4, Errors.NONE);

        assertThat(errors(response)).as("no shard is loaded here").containsExactly(Errors.NOT_COORDINATOR,
                Errors.NOT_COORDINATOR);
    }

    private TxnOffsetCommitResponse handle(short version, Errors checkAnswer) throws Exception {
        TxnOffsetCommitHandler handler = new TxnOffsetCommitHandler(coordinator,
                (transactionalId, producerId, epoch, groupId, add) -> {
                    adds.add(add);
                    return CompletableFuture.completedFuture(checkAnswer);
                });
        TxnOffsetCommitRequest request = new TxnOffsetCommitRequest().setTransactionalId("tx").setGroupId("g")
                .setProducerId(5).setProducerEpoch((short) 1);
        TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic topic =
                new TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic().setName("t");
        topic.partitions().add(new TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition().setPartitionIndex(0));
        topic.partitions().add(new TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition().setPartitionIndex(1));
        request.topics().add(topic);
        RequestContext context = new RequestContext(ApiKey.TXN_OFFSET_COMMIT.id(), version, 1, "client", "c-1",
                InetAddress.getLoopbackAddress(), "PLAINTEXT");
        return handler.handle(context, request).get(5, TimeUnit.SECONDS);
    }

    private static List<Errors> errors(TxnOffsetCommitResponse response) {
        return response.topics().get(0).partitions().stream().map(p -> Errors.forCode(p.errorCode())).toList();
    }
}
