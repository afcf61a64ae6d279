package io.gregor.broker.api.fetch;

import java.util.UUID;

/**
 * A partition of a fetch session, as its requests name it: by topic id from Fetch v13 (the name is
 * then empty), by name before (the id is then zero). A topic deleted and created again under the
 * same name is thus, in an id session, another partition, whose old id's answers report it unknown.
 */
record SessionPartitionKey(String topic, UUID topicId, int partition) {
    static final UUID NO_TOPIC_ID = new UUID(0, 0);
}
