package io.gregor.metadata.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.quota.ClientQuotaEntity;
import io.gregor.metadata.quota.ClientQuotaEntity.Name;
import io.gregor.metadata.record.ClientQuotaRecord;
import io.gregor.protocol.error.Errors;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ClientQuotaControlTest {
    private static final ClientQuotaEntity ALICE = ClientQuotaEntity.user(Name.of("alice"));
    private static final ClientQuotaEntity DEFAULT_CLIENT = ClientQuotaEntity.clientId(Name.DEFAULT);

    private final ClientQuotaControl control = new ClientQuotaControl();

    @Test
    void setQuotasAreRecordsAndReplayIntoTheImage() {
        ControllerResult<List<ApiError>> result = control.alterClientQuotas(MetadataImage.empty("c"), List.of(
                new ClientQuotaAlteration(ALICE, List.of(set("producer_byte_rate", 1024),
                        set("consumer_byte_rate", 2048))),
                new ClientQuotaAlteration(DEFAULT_CLIENT, List.of(set("producer_byte_rate", 10)))));

        assertThat(result.response()).containsExactly(ApiError.NONE, ApiError.NONE);
        MetadataImage image = replay(MetadataImage.empty("c"), result);
        assertThat(image.clientQuotas()).containsOnly(
                Map.entry(ALICE, Map.of("producer_byte_rate", 1024.0, "consumer_byte_rate", 2048.0)),
                Map.entry(DEFAULT_CLIENT, Map.of("producer_byte_rate", 10.0)));
        assertThat(MetadataImage.empty("c").clientQuotas()).isEmpty();
    }

    @Test
    void removingTheLastQuotaOfAnEntityDropsTheEntity() {
        MetadataImage image = replay(MetadataImage.empty("c"), control.alterClientQuotas(MetadataImage.empty("c"),
                List.of(new ClientQuotaAlteration(ALICE, List.of(set("producer_byte_rate", 1024))))));

        ControllerResult<List<ApiError>> removal = control.alterClientQuotas(image, List.of(
                new ClientQuotaAlteration(ALICE, List.of(remove("producer_byte_rate"), remove("consumer_byte_rate")))));

        assertThat(removal.response()).containsExactly(ApiError.NONE);
        // Removing a quota that is not set writes nothing, and is no error.
        assertThat(removal.records()).containsExactly(
                new ClientQuotaRecord(ALICE, "producer_byte_rate", OptionalDouble.empty()));
        assertThat(replay(image, removal).clientQuotas()).isEmpty();
    }

    @Test
    void anInvalidChangeFailsOnlyItsEntity() {
        ControllerResult<List<ApiError>> result = control.alterClientQuotas(MetadataImage.empty("c"), List.of(
                new ClientQuotaAlteration(ALICE, List.of(set("producer_byte_rate", 1024), set("bogus", 1))),
                new ClientQuotaAlteration(DEFAULT_CLIENT, List.of(set("producer_byte_rate", 0))),
                new ClientQuotaAlteration(ClientQuotaEntity.user(Name.of("bob")), List.of(
                        set("consumer_byte_rate", 1.5))),
                new ClientQuotaAlteration(ClientQuotaEntity.user(Name.of("carol")), List.of(
                        set("consumer_byte_rate", 5), remove("consumer_byte_rate"))),
                new ClientQuotaAlteration(ClientQuotaEntity.user(Name.of("dave")), List.of(
                        set("request_percentage", 50))),
                new ClientQuotaAlteration(ClientQuotaEntity.user(Name.of("erin")), List.of(
                        set("consumer_byte_rate", 5)))));

        assertThat(result.response()).extracting(ApiError::error).containsExactly(Errors.INVALID_REQUEST,
                Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST,
                Errors.NONE);
        assertThat(result.response().get(0).messageOrDefault()).contains("bogus");
        assertThat(result.response().get(1).messageOrDefault()).contains("at least 1");
        assertThat(result.response().get(3).messageOrDefault()).contains("more than once");
        assertThat(result.records()).containsExactly(new ClientQuotaRecord(ClientQuotaEntity.user(Name.of("erin")),
                "consumer_byte_rate", OptionalDouble.of(5)));
    }

    @Test
    void theMutationRateIsAnyPositiveRate() {
        ControllerResult<List<ApiError>> result = control.alterClientQuotas(MetadataImage.empty("c"), List.of(
                new ClientQuotaAlteration(ALICE, List.of(set("controller_mutation_rate", 0.5))),
                new ClientQuotaAlteration(DEFAULT_CLIENT, List.of(set("controller_mutation_rate", 0))),
                new ClientQuotaAlteration(ClientQuotaEntity.user(Name.of("bob")), List.of(
                        set("controller_mutation_rate", Double.POSITIVE_INFINITY)))));

        assertThat(result.response()).extracting(ApiError::error).containsExactly(Errors.NONE,
                Errors.INVALID_REQUEST, Errors.INVALID_REQUEST);
        assertThat(result.response().get(1).messageOrDefault()).contains("partitions per second above 0");
        assertThat(result.records()).containsExactly(
                new ClientQuotaRecord(ALICE, "controller_mutation_rate", OptionalDouble.of(0.5)));
    }

    private static ClientQuotaAlteration.Op set(String key, double value) {
        return new ClientQuotaAlteration.Op(key, OptionalDouble.of(value));
    }

    private static ClientQuotaAlteration.Op remove(String key) {
        return new ClientQuotaAlteration.Op(key, OptionalDouble.empty());
    }

    private static MetadataImage replay(MetadataImage image, ControllerResult<?> result) {
        MetadataDelta delta = new MetadataDelta(image);
        result.records().forEach(delta::replay);
        return delta.apply();
    }
}
