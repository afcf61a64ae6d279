package io.gregor.broker.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AlterConfigsRequest;
import io.gregor.protocol.message.AlterConfigsResponse;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.IncrementalAlterConfigsRequest;
import io.gregor.protocol.message.IncrementalAlterConfigsResponse;
import io.gregor.protocol.wire.ApiMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A broker that passes config changes on to the controller checks its own first: a refused
 * resource is answered here and not passed on, the others go on and both answers come back
 * together; a request naming a resource twice goes on whole, for the controller to refuse.
 */
class OwnConfigsCheckedTest {
    private static final byte TOPIC = 2;
    private static final byte BROKER = 4;
    /** Refuses any change of broker 1's configs that sets a key store, as broker 1 would without one. */
    private static final BrokerConfigCheck BROKER_1 = (resource, configs) ->
            resource.name().equals("1") && configs.containsKey("listener.name.ssl.ssl.keystore.location")
                    ? Optional.of(ApiError.of(Errors.INVALID_CONFIG, "broker 1 has no SSL listener"))
                    : Optional.empty();

    @Test
    void aRefusedChangeOfThisBrokersConfigsIsAnsweredHereAndTheRestGoesOn() {
        List<IncrementalAlterConfigsRequest> passedOn = new ArrayList<>();
        OwnConfigsCheckedIncrementalAlterConfigs handler = new OwnConfigsCheckedIncrementalAlterConfigs(
                controllerAnswering(passedOn), () -> MetadataImage.empty("test-cluster"), BROKER_1);

        IncrementalAlterConfigsResponse response = handler.handle(context(ApiKey.INCREMENTAL_ALTER_CONFIGS),
                new IncrementalAlterConfigsRequest().setResources(List.of(
                        incremental(BROKER, "1", "listener.name.ssl.ssl.keystore.location"),
                        incremental(TOPIC, "t", "retention.ms"),
                        incremental(BROKER, "2", "listener.name.ssl.ssl.keystore.location")))).join();

        assertThat(passedOn).singleElement().satisfies(request -> assertThat(request.resources())
                .extracting(IncrementalAlterConfigsRequest.AlterConfigsResource::resourceName)
                .containsExactly("t", "2"));
        assertThat(response.responses()).extracting(r -> r.resourceName(), r -> Errors.forCode(r.errorCode()))
                .containsExactlyInAnyOrder(tuple("1", Errors.INVALID_CONFIG),
                        tuple("t", Errors.NONE),
                        tuple("2", Errors.NONE));
    }

    @Test
    void aRequestNamingAResourceTwiceGoesOnWhole() {
        List<IncrementalAlterConfigsRequest> passedOn = new ArrayList<>();
        OwnConfigsCheckedIncrementalAlterConfigs handler = new OwnConfigsCheckedIncrementalAlterConfigs(
                controllerAnswering(passedOn), () -> MetadataImage.empty("test-cluster"), BROKER_1);

        handler.handle(context(ApiKey.INCREMENTAL_ALTER_CONFIGS), new IncrementalAlterConfigsRequest().setResources(
                List.of(incremental(BROKER, "1", "listener.name.ssl.ssl.keystore.location"),
                        incremental(BROKER, "1", "log.retention.ms")))).join();

        assertThat(passedOn).singleElement().satisfies(request -> assertThat(request.resources()).hasSize(2));
    }

    @Test
    void legacyAlterConfigsAllRefusedHereIsNotPassedOn() {
        List<AlterConfigsRequest> passedOn = new ArrayList<>();
        ApiHandler<AlterConfigsRequest, AlterConfigsResponse> controller = new Forwarding<>(
                ApiKey.ALTER_CONFIGS, request -> {
                    passedOn.add(request);
                    return new AlterConfigsResponse();
                });
        AlterConfigsResponse response = new OwnConfigsCheckedAlterConfigs(controller, BROKER_1).handle(
                context(ApiKey.ALTER_CONFIGS), new AlterConfigsRequest().setResources(List.of(
                        new AlterConfigsRequest.AlterConfigsResource().setResourceType(BROKER).setResourceName("1")
                                .setConfigs(List.of(new AlterConfigsRequest.AlterableConfig()
                                        .setName("listener.name.ssl.ssl.keystore.location").setValue("/x.p12"))))))
                .join();

        assertThat(passedOn).isEmpty();
        assertThat(response.responses()).singleElement().satisfies(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
            assertThat(r.errorMessage()).contains("no SSL listener");
        });
    }

    /** The controller's side: records what it is sent and accepts every resource. */
    private static ApiHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> controllerAnswering(
            List<IncrementalAlterConfigsRequest> passedOn) {
        return new Forwarding<>(ApiKey.INCREMENTAL_ALTER_CONFIGS, request -> {
            passedOn.add(request);
            List<IncrementalAlterConfigsResponse.AlterConfigsResourceResponse> accepted = new ArrayList<>();
            for (IncrementalAlterConfigsRequest.AlterConfigsResource resource : request.resources()) {
                accepted.add(new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse()
                        .setResourceType(resource.resourceType()).setResourceName(resource.resourceName()));
            }
            return new IncrementalAlterConfigsResponse().setResponses(accepted);
        });
    }

    private static IncrementalAlterConfigsRequest.AlterConfigsResource incremental(byte type, String name, String key) {
        return new IncrementalAlterConfigsRequest.AlterConfigsResource().setResourceType(type).setResourceName(name)
                .setConfigs(List.of(new IncrementalAlterConfigsRequest.AlterableConfig().setName(key)
                        .setConfigOperation((byte) 0).setValue("1")));
    }

    private static RequestContext context(ApiKey key) {
        return MetadataFixture.context(key, key.highestVersion());
    }

    /** Stands for the forwarding handler: answers with a function of the request. */
    private record Forwarding<Q extends ApiMessage, R extends ApiMessage>(
            ApiKey key, Function<Q, R> answer) implements ApiHandler<Q, R> {
        @Override
        public short apiKey() {
            return key.id();
        }

        @Override
        public short minVersion() {
            return 0;
        }

        @Override
        public short maxVersion() {
            return key.highestVersion();
        }

        @Override
        public CompletableFuture<R> handle(RequestContext context, Q request) {
            return CompletableFuture.completedFuture(answer.apply(request));
        }
    }
}
