package io.gregor.broker.partition;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import java.util.Map;

/** A log directory as DescribeLogDirs reports it. */
public record LogDirUsage(String path, Errors error, long totalBytes, long usableBytes,
                          Map<TopicPartition, Long> partitionSizes) {
}
