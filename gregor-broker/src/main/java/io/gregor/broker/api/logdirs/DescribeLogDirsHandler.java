package io.gregor.broker.api.logdirs;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.partition.LogDirUsage;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeLogDirsRequest;
import io.gregor.protocol.message.DescribeLogDirsResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * DescribeLogDirs: each log directory with its partitions' sizes and the directory's total
 * and usable bytes. A null topic list asks for every partition.
 */
public final class DescribeLogDirsHandler implements ApiHandler<DescribeLogDirsRequest, DescribeLogDirsResponse> {
    private final ReplicaManager replicaManager;
    private final Executor ioExecutor;

    public DescribeLogDirsHandler(ReplicaManager replicaManager, Executor ioExecutor) {
        this.replicaManager = replicaManager;
        this.ioExecutor = ioExecutor;
    }

    @Override
    public short apiKey() {
        return ApiKey.DESCRIBE_LOG_DIRS.id();
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<DescribeLogDirsResponse> handle(RequestContext context, DescribeLogDirsRequest request) {
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE)) {
            // Kafka's answer: no log dirs, and from v3 the reason
            return CompletableFuture.completedFuture(new DescribeLogDirsResponse()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        return CompletableFuture.supplyAsync(() -> describe(request), ioExecutor);
    }

    private DescribeLogDirsResponse describe(DescribeLogDirsRequest request) {
        Set<TopicPartition> wanted = request.topics() == null ? null : request.topics().stream()
                .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.topic(), p)))
                .collect(Collectors.toSet());
        DescribeLogDirsResponse response = new DescribeLogDirsResponse();
        for (LogDirUsage dir : replicaManager.logDirUsage()) {
            DescribeLogDirsResponse.DescribeLogDirsResult result = new DescribeLogDirsResponse.DescribeLogDirsResult()
                    .setLogDir(dir.path())
                    .setErrorCode(dir.error().code())
                    .setTotalBytes(dir.totalBytes())
                    .setUsableBytes(dir.usableBytes());
            Map<String, DescribeLogDirsResponse.DescribeLogDirsTopic> topics = new LinkedHashMap<>();
            dir.partitionSizes().forEach((partition, size) -> {
                if (wanted != null && !wanted.contains(partition)) {
                    return;
                }
                topics.computeIfAbsent(partition.topic(),
                                name -> new DescribeLogDirsResponse.DescribeLogDirsTopic().setName(name))
                        .partitions().add(new DescribeLogDirsResponse.DescribeLogDirsPartition()
                                .setPartitionIndex(partition.partition())
                                .setPartitionSize(size)
                                .setOffsetLag(0)
                                .setIsFutureKey(false));
            });
            result.setTopics(new ArrayList<>(topics.values()));
            response.results().add(result);
        }
        return response;
    }
}
