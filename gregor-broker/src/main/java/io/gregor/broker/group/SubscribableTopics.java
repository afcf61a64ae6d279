package io.gregor.broker.group;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The topics consumer groups can subscribe to, as the cluster metadata has them now. A port so
 * that the consumer protocol's state machine is tested without a metadata image.
 */
public interface SubscribableTopics {
    SubscribableTopics NONE = new SubscribableTopics() {
        @Override
        public Optional<TopicInfo> byName(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<TopicInfo> byId(UUID id) {
            return Optional.empty();
        }

        @Override
        public Collection<TopicInfo> all() {
            return List.of();
        }
    };

    Optional<TopicInfo> byName(String name);

    Optional<TopicInfo> byId(UUID id);

    /** Every topic a regular expression may match; internal topics are left out. */
    Collection<TopicInfo> all();

    /** A topic as assignors see it. */
    record TopicInfo(UUID id, String name, int partitions) {
    }
}
