package io.gregor.broker.api.meta;

import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.MetadataImage;
import java.util.OptionalInt;

/**
 * The controller id Metadata and DescribeCluster give clients. Clients send CreateTopics and
 * the other controller APIs to that node, which must therefore be one of the brokers they are
 * told about: the active controller when it is an unfenced broker, otherwise this node, which
 * forwards such requests to the active controller (as Kafka's brokers name a live broker).
 */
final class ControllerIds {
    /** Kafka's wire value for "no controller known". */
    private static final int NO_CONTROLLER = -1;

    private ControllerIds() {
    }

    static int forClients(QuorumController controller, MetadataImage image, int selfId) {
        if (controller.isActive()) {
            return selfId;
        }
        OptionalInt active = controller.activeControllerId();
        if (active.isEmpty()) {
            return NO_CONTROLLER;
        }
        if (image.unfencedBrokers().containsKey(active.getAsInt())) {
            return active.getAsInt();
        }
        return image.unfencedBrokers().containsKey(selfId) ? selfId : NO_CONTROLLER;
    }
}
