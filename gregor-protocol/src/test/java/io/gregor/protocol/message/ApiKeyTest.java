package io.gregor.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

class ApiKeyTest {
    @Test
    void coversEveryKafkaApiThatStillHasVersionsWithTheSameRange() {
        for (ApiKeys kafka : ApiKeys.values()) {
            if (!kafka.hasValidVersion()) {
                assertThat(ApiKey.forId(kafka.id)).as(kafka.name).isEmpty();
                continue;
            }
            ApiKey ours = ApiKey.forId(kafka.id).orElseThrow();
            assertThat(ours.name()).isEqualTo(kafka.name());
            assertThat(ours.lowestVersion()).as(kafka.name).isEqualTo(kafka.oldestVersion());
            assertThat(ours.highestVersion()).as(kafka.name).isEqualTo(kafka.latestVersion(true));
        }
        assertThat(ApiKey.values()).allSatisfy(key -> assertThat(ApiKeys.hasId(key.id())).isTrue());
    }

    @Test
    void headerVersionsMatchKafkaAtEveryVersion() {
        for (ApiKey key : ApiKey.values()) {
            ApiKeys kafka = ApiKeys.forId(key.id());
            for (short v = key.lowestVersion(); v <= key.highestVersion(); v++) {
                assertThat(key.requestHeaderVersion(v)).as("%s v%d request header", key, v)
                        .isEqualTo(kafka.requestHeaderVersion(v));
                assertThat(key.responseHeaderVersion(v)).as("%s v%d response header", key, v)
                        .isEqualTo(kafka.responseHeaderVersion(v));
            }
        }
    }

    @Test
    void apiVersionsResponsesAlwaysUseHeaderVersionZero() {
        assertThat(ApiKey.API_VERSIONS.isFlexibleResponse((short) 3)).isTrue();
        assertThat(ApiKey.API_VERSIONS.responseHeaderVersion((short) 3)).isZero();
        assertThat(ApiKey.API_VERSIONS.requestHeaderVersion((short) 3)).isEqualTo((short) 2);
    }

    @Test
    void createsRequestAndResponseMessagesOfItsOwnApi() {
        assertThat(ApiKey.PRODUCE.newRequest()).isInstanceOf(ProduceRequest.class);
        assertThat(ApiKey.PRODUCE.newResponse()).isInstanceOf(ProduceResponse.class);
        assertThat(ApiKey.values()).allSatisfy(key -> {
            assertThat(key.newRequest().apiKey()).isEqualTo(key.id());
            assertThat(key.newResponse().apiKey()).isEqualTo(key.id());
            assertThat(key.newRequest().highestSupportedVersion()).isEqualTo(key.highestVersion());
        });
    }

    @Test
    void unknownIdsHaveNoKey() {
        assertThat(ApiKey.forId((short) -1)).isEmpty();
        assertThat(ApiKey.forId((short) 4)).as("LeaderAndIsr has no versions left").isEmpty();
        assertThat(ApiKey.forId(Short.MAX_VALUE)).isEmpty();
        assertThat(Arrays.stream(ApiKey.values()).mapToInt(ApiKey::id).distinct().count())
                .isEqualTo(ApiKey.values().length);
    }
}
