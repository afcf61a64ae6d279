package io.gregor.protocol.api;

/** A partition of a topic, named by topic name and partition index. */
public record TopicPartition(String topic, int partition) {
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
