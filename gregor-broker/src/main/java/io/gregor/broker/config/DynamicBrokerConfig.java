package io.gregor.broker.config;

import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.ConfigResource;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's configuration as a metadata image makes it: server.properties with the dynamic
 * broker configs of the image laid over it ({@link BrokerConfig#withDynamic}). The dynamic
 * configs are records of the metadata log, so every node sees the same ones and they outlive
 * restarts. Thread-safe: the result for the latest pair of dynamic config maps is cached, as
 * images change far more often than broker configs do.
 */
public final class DynamicBrokerConfig {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicBrokerConfig.class);

    private record Resolved(Map<String, String> clusterDefault, Map<String, String> own, BrokerConfig config) {
    }

    private final BrokerConfig staticConfig;
    private final ConfigResource self;
    private volatile Resolved last;

    public DynamicBrokerConfig(BrokerConfig staticConfig) {
        this.staticConfig = staticConfig;
        this.self = ConfigResource.broker(staticConfig.nodeId());
        this.last = new Resolved(Map.of(), Map.of(), staticConfig);
    }

    /** server.properties alone. */
    public BrokerConfig staticConfig() {
        return staticConfig;
    }

    /** The dynamic configs set for this broker alone ({@code BROKER "id"}). */
    public Map<String, String> own(MetadataImage image) {
        return image.configs(self);
    }

    /** The cluster-wide dynamic defaults ({@code BROKER ""}). */
    public static Map<String, String> clusterDefault(MetadataImage image) {
        return image.configs(ConfigResource.clusterDefaultBroker());
    }

    /** Whether a change of the configs of this resource can change this broker's configuration. */
    public boolean concerns(ConfigResource resource) {
        return resource.equals(self) || resource.equals(ConfigResource.clusterDefaultBroker());
    }

    /**
     * The configuration in force with this image. Should the dynamic configs not combine with
     * server.properties (the controller checks each value alone), the last combination that did
     * stays in force and the error is logged: a broker is never left half-configured.
     */
    public BrokerConfig effective(MetadataImage image) {
        Map<String, String> clusterDefault = clusterDefault(image);
        Map<String, String> own = own(image);
        Resolved resolved = last;
        if (resolved.clusterDefault().equals(clusterDefault) && resolved.own().equals(own)) {
            return resolved.config();
        }
        try {
            BrokerConfig config = staticConfig.withDynamic(clusterDefault, own);
            last = new Resolved(clusterDefault, own, config);
            return config;
        } catch (RuntimeException e) {
            LOG.error("The dynamic broker configs {} (this broker) and {} (cluster default) cannot apply; "
                    + "keeping the previous configuration: {}", own.keySet(), clusterDefault.keySet(), e.getMessage());
            last = new Resolved(clusterDefault, own, resolved.config());
            return resolved.config();
        }
    }
}
