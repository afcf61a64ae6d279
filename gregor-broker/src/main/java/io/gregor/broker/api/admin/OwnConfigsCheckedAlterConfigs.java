package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.control.ApiError;
import io.gregor.protocol.message.AlterConfigsRequest;
import io.gregor.protocol.message.AlterConfigsRequest.AlterConfigsResource;
import io.gregor.protocol.message.AlterConfigsResponse;
import io.gregor.protocol.message.AlterConfigsResponse.AlterConfigsResourceResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * AlterConfigs (which replaces a resource's whole set) on a broker that passes it on to the active
 * controller ({@code forwarding}): the changes of this broker's own configs are checked here
 * first ({@link OwnConfigsCheck}); those refused are answered here, the rest go on.
 */
public final class OwnConfigsCheckedAlterConfigs implements ApiHandler<AlterConfigsRequest, AlterConfigsResponse> {
    private final ApiHandler<AlterConfigsRequest, AlterConfigsResponse> forwarding;
    private final BrokerConfigCheck check;

    public OwnConfigsCheckedAlterConfigs(ApiHandler<AlterConfigsRequest, AlterConfigsResponse> forwarding,
                                         BrokerConfigCheck check) {
        this.forwarding = forwarding;
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
    public CompletableFuture<AlterConfigsResponse> handle(RequestContext context, AlterConfigsRequest request) {
        OwnConfigsCheck own = new OwnConfigsCheck(check);
        List<AlterConfigsResourceResponse> refused = new ArrayList<>();
        List<AlterConfigsResource> passedOn = new ArrayList<>();
        for (AlterConfigsResource resource : request.resources()) {
            Optional<ApiError> refusal = own.refusal(context, resource.resourceType(), resource.resourceName(),
                    () -> configs(resource));
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
            return CompletableFuture.completedFuture(new AlterConfigsResponse().setResponses(refused));
        }
        AlterConfigsRequest rest = new AlterConfigsRequest().setResources(passedOn)
                .setValidateOnly(request.validateOnly());
        return forwarding.handle(context, rest).thenApply(response -> {
            List<AlterConfigsResourceResponse> all = new ArrayList<>(response.responses());
            all.addAll(refused);
            return response.setResponses(all);
        });
    }

    /** The set the request gives; a null value is the controller's to refuse. */
    private static Map<String, String> configs(AlterConfigsResource resource) {
        Map<String, String> configs = new HashMap<>();
        for (AlterConfigsRequest.AlterableConfig config : resource.configs()) {
            if (config.value() != null) {
                configs.put(config.name(), config.value());
            }
        }
        return configs;
    }
}
