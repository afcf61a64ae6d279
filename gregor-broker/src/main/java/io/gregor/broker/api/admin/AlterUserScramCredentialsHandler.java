package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.control.ScramDeletion;
import io.gregor.metadata.control.ScramUpsertion;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AlterUserScramCredentialsRequest;
import io.gregor.protocol.message.AlterUserScramCredentialsResponse;
import io.gregor.protocol.message.AlterUserScramCredentialsResponse.AlterUserScramCredentialsResult;
import io.gregor.protocol.message.ApiKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * AlterUserScramCredentials, version 0 (KIP-554): deletes and sets users' SCRAM credentials
 * through the controller, one result per user named in the request. The request carries salted
 * passwords, never passwords; the controller keeps only the keys derived from them.
 */
public final class AlterUserScramCredentialsHandler
        implements ApiHandler<AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse> {
    private final QuorumController controller;

    public AlterUserScramCredentialsHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.ALTER_USER_SCRAM_CREDENTIALS.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<AlterUserScramCredentialsResponse> handle(RequestContext context,
                                                                       AlterUserScramCredentialsRequest request) {
        List<ScramDeletion> deletions = new ArrayList<>();
        List<ScramUpsertion> upsertions = new ArrayList<>();
        // The controller answers for each user in the order the request first names them; so do we on failure.
        Set<String> users = new LinkedHashSet<>();
        for (AlterUserScramCredentialsRequest.ScramCredentialDeletion deletion : request.deletions()) {
            deletions.add(new ScramDeletion(deletion.name(), deletion.mechanism()));
            users.add(deletion.name());
        }
        for (AlterUserScramCredentialsRequest.ScramCredentialUpsertion upsertion : request.upsertions()) {
            upsertions.add(new ScramUpsertion(upsertion.name(), upsertion.mechanism(), upsertion.iterations(),
                    upsertion.salt(), upsertion.saltedPassword()));
            users.add(upsertion.name());
        }
        if (!context.authorizedOnCluster(AclOperation.ALTER)) {
            ApiError refused = ApiError.of(Errors.CLUSTER_AUTHORIZATION_FAILED,
                    "Not authorized to alter SCRAM credentials");
            return CompletableFuture.completedFuture(new AlterUserScramCredentialsResponse()
                    .setResults(users.stream().map(user -> result(user, refused)).toList()));
        }
        return controller.alterUserScramCredentials(deletions, upsertions)
                .handle((outcomes, failure) -> {
                    List<AlterUserScramCredentialsResult> results = new ArrayList<>();
                    for (String user : users) {
                        ApiError error = failure == null ? outcomes.get(user) : ControllerErrors.toApiError(failure);
                        results.add(result(user, error));
                    }
                    return new AlterUserScramCredentialsResponse().setResults(results);
                });
    }

    private static AlterUserScramCredentialsResult result(String user, ApiError error) {
        return new AlterUserScramCredentialsResult()
                .setUser(user)
                .setErrorCode(error.error().code())
                .setErrorMessage(ControllerErrors.wireMessage(error));
    }
}
