package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.image.ScramMechanism;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeUserScramCredentialsRequest;
import io.gregor.protocol.message.DescribeUserScramCredentialsResponse;
import io.gregor.protocol.message.DescribeUserScramCredentialsResponse.CredentialInfo;
import io.gregor.protocol.message.DescribeUserScramCredentialsResponse.DescribeUserScramCredentialsResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeUserScramCredentials, version 0 (KIP-554): which SCRAM mechanisms each user has a
 * credential for, with its iteration count, and never the salt or keys. No users (null or an
 * empty list) means every user that has a credential. Answered from the latest committed image
 * without queueing behind the controller.
 */
public final class DescribeUserScramCredentialsHandler
        implements ApiHandler<DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse> {
    private final QuorumController controller;

    public DescribeUserScramCredentialsHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.DESCRIBE_USER_SCRAM_CREDENTIALS.id();
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
    public CompletableFuture<DescribeUserScramCredentialsResponse> handle(RequestContext context,
                                                                          DescribeUserScramCredentialsRequest request) {
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(new DescribeUserScramCredentialsResponse()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("Not authorized to describe the users' SCRAM credentials"));
        }
        MetadataImage image = controller.image();
        List<DescribeUserScramCredentialsResult> results = new ArrayList<>();
        if (request.users() == null || request.users().isEmpty()) {
            image.scramCredentials().forEach((user, credentials) -> results.add(described(user, credentials)));
        } else {
            Map<String, Integer> timesAsked = new LinkedHashMap<>();
            request.users().forEach(user -> timesAsked.merge(user.name(), 1, Integer::sum));
            timesAsked.forEach((user, times) -> results.add(times > 1
                    ? failed(user, Errors.DUPLICATE_RESOURCE, "Cannot describe the SCRAM credentials of user " + user
                            + " more than once in one request")
                    : describe(image, user)));
        }
        return CompletableFuture.completedFuture(new DescribeUserScramCredentialsResponse()
                .setErrorCode(Errors.NONE.code())
                .setResults(results));
    }

    private static DescribeUserScramCredentialsResult describe(MetadataImage image, String user) {
        Map<ScramMechanism, ScramCredential> credentials = image.scramCredentials().get(user);
        if (credentials == null) {
            return failed(user, Errors.RESOURCE_NOT_FOUND,
                    "Attempt to describe the SCRAM credentials of user " + user + ", who has none");
        }
        return described(user, credentials);
    }

    private static DescribeUserScramCredentialsResult described(String user,
                                                                Map<ScramMechanism, ScramCredential> credentials) {
        List<CredentialInfo> infos = new ArrayList<>();
        credentials.forEach((mechanism, credential) -> infos.add(new CredentialInfo()
                .setMechanism(mechanism.type())
                .setIterations(credential.iterations())));
        return new DescribeUserScramCredentialsResult()
                .setUser(user)
                .setErrorCode(Errors.NONE.code())
                .setCredentialInfos(infos);
    }

    private static DescribeUserScramCredentialsResult failed(String user, Errors error, String message) {
        return new DescribeUserScramCredentialsResult()
                .setUser(user)
                .setErrorCode(error.code())
                .setErrorMessage(message);
    }
}
