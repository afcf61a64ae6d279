package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.ConfigOperation;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.protocol.message.IncrementalAlterConfigsRequest;
import io.gregor.protocol.message.IncrementalAlterConfigsRequest.AlterConfigsResource;
import io.gregor.protocol.message.IncrementalAlterConfigsResponse;
import io.gregor.protocol.message.IncrementalAlterConfigsResponse.AlterConfigsResourceResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * IncrementalAlterConfigs on a broker that passes it on to the active controller
 * ({@code forwarding}): the changes of this broker's own configs are checked here first
 * ({@link OwnConfigsCheck}); those refused are answered here, the rest go on.
 */
public final class OwnConfigsCheckedIncrementalAlterConfigs
        implements ApiHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> {
    private final ApiHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> forwarding;
    private final Supplier<MetadataImage> image;
    private final BrokerConfigCheck check;

    public OwnConfigsCheckedIncrementalAlterConfigs(
            ApiHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> forwarding,
            Supplier<MetadataImage> image, BrokerConfigCheck check) {
        this.forwarding = forwarding;
        this.image = image;
        this.check = check;
    }

    @Override
    public short apiKey() {
        return forwarding.apiKey();
    }

    @Override
    public short minVersion() {
        return forwarding.minVersion();
    }

    @Override
    public short maxVersion() {
        return forwarding.maxVersion();
    }

    @Override
    public CompletableFuture<IncrementalAlterConfigsResponse> handle(RequestContext context,
                                                                     IncrementalAlterConfigsRequest request) {
        OwnConfigsCheck own = new OwnConfigsCheck(check);
        List<AlterConfigsResourceResponse> refused = new ArrayList<>();
        List<AlterConfigsResource> passedOn = new ArrayList<>();
        for (AlterConfigsResource resource : request.resources()) {
            Optional<ApiError> refusal = own.refusal(context, resource.resourceType(), resource.resourceName(),
                    () -> after(resource));
            if (refusal.isPresent()) {
                refused.add(new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
                        .setResourceName(resource.resourceName()).setErrorCode(refusal.get().error().code())
                        .setErrorMessage(ControllerErrors.wireMessage(refusal.get())));
            } else {
                passedOn.add(resource);
            }
        }
        if (refused.isEmpty() || own.sawDuplicates()) {
            return forwarding.handle(context, request);
        }
        if (passedOn.isEmpty()) {
            return CompletableFuture.completedFuture(new IncrementalAlterConfigsResponse().setResponses(refused));
        }
        IncrementalAlterConfigsRequest rest = new IncrementalAlterConfigsRequest().setResources(passedOn)
                .setValidateOnly(request.validateOnly());
        return forwarding.handle(context, rest).thenApply(response -> {
            List<AlterConfigsResourceResponse> all = new ArrayList<>(response.responses());
            all.addAll(refused);
            return response.setResponses(all);
        });
    }

    private Map<String, String> after(AlterConfigsResource resource) {
        List<ConfigOperation> operations = new ArrayList<>();
        for (IncrementalAlterConfigsRequest.AlterableConfig config : resource.configs()) {
            ConfigOperation.Type.forCode(config.configOperation()).ifPresent(type -> operations.add(
                    new ConfigOperation(config.name(), type, Optional.ofNullable(config.value()))));
        }
        Map<String, String> current = ConfigResources.parse(resource.resourceType(), resource.resourceName())
                .map(parsed -> image.get().configs(parsed)).orElse(Map.of());
        return IncrementalAlterConfigsHandler.afterSetsAndDeletes(current, operations);
    }
}
