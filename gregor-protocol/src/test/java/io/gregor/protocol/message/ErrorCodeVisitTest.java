package io.gregor.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorCodeVisitTest {

    @Test
    void aResponseHandsOverEveryErrorCodeItHoldsAtAnyDepthInOrder() {
        MetadataResponse response = new MetadataResponse().setTopics(List.of(
                new MetadataResponse.MetadataResponseTopic().setErrorCode((short) 3).setPartitions(List.of(
                        new MetadataResponse.MetadataResponsePartition().setErrorCode((short) 6),
                        new MetadataResponse.MetadataResponsePartition())),
                new MetadataResponse.MetadataResponseTopic().setErrorCode((short) 29)));
        List<Short> codes = new ArrayList<>();

        response.visitErrorCodes(codes::add);

        // the topics' and their partitions', then the response's own
        assertThat(codes).containsExactly((short) 3, (short) 6, (short) 0, (short) 29, (short) 0);
    }

    @Test
    void fieldsNamedAfterTheirErrorCountToo() {
        // most name theirs ErrorCode; AddPartitionsToTxn names its partitions' PartitionErrorCode
        AddPartitionsToTxnResponse response = new AddPartitionsToTxnResponse().setErrorCode((short) 0)
                .setResultsByTopicV3AndBelow(List.of(new AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult()
                        .setResultsByPartition(List.of(new AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult()
                                .setPartitionErrorCode((short) 48)))));
        List<Short> codes = new ArrayList<>();

        response.visitErrorCodes(codes::add);

        assertThat(codes).contains((short) 48);
    }

    @Test
    void requestsHoldNoErrorCodesAndResponsesTellTheirThrottleTime() {
        List<Short> codes = new ArrayList<>();
        new ProduceRequest().visitErrorCodes(codes::add);

        assertThat(codes).isEmpty();
        assertThat(new ProduceResponse().setThrottleTimeMs(250).throttleTimeMs()).isEqualTo(250);
        assertThat(new ProduceRequest().throttleTimeMs()).isZero();
    }
}
