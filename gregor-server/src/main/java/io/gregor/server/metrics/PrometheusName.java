package io.gregor.server.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ObjectName;

/**
 * The Prometheus name and labels of a meter named by its Kafka object name, as the Prometheus JMX
 * exporter's rules for Kafka write them, so that dashboards and alerts built on those rules read
 * Gregor unchanged: domain, type and name lower-cased and joined by underscores, a meter's
 * {@code PerSec} suffix dropped, and the other key properties as labels, in their order.
 * {@code kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=orders} is
 * {@code kafka_server_brokertopicmetrics_messagesin} with {@code topic="orders"}; the exposition
 * adds a counter's {@code _total}.
 *
 * @param name the metric family's name
 * @param help the object name without its labels, for the family's HELP line
 * @param labelNames the other key properties' keys
 * @param labelValues their values, unquoted
 */
record PrometheusName(String name, String help, List<String> labelNames, List<String> labelValues) {
    private static final String SOCKET_SERVER_METRICS = "kafka.server:type=socket-server-metrics";

    /** The name of a meter: its rate suffix ({@code PerSec}, as the exporter's pattern {@code PerSec\w*}) dropped. */
    static PrometheusName ofMeter(String objectName) {
        return of(objectName, true);
    }

    /** The name of a gauge or histogram. */
    static PrometheusName of(String objectName) {
        return of(objectName, false);
    }

    /**
     * The name of one attribute of an MBean that Kafka's own metrics library makes
     * ({@code AttributeGauge}): the socket server's connections
     * ({@code kafka.server:type=socket-server-metrics,listener=L,networkProcessor=N}) as the
     * exporter's rule for them writes them, {@code connection-count} as
     * {@code kafka_server_socket_server_metrics_connection_count} with the labels {@code listener}
     * and {@code networkProcessor}; the client quotas' as {@link #ofQuotaAttribute}.
     */
    static PrometheusName ofAttribute(String objectName, String attribute) {
        if (!objectName.startsWith(SOCKET_SERVER_METRICS)) {
            return ofQuotaAttribute(objectName, attribute);
        }
        List<String> labelNames = new ArrayList<>();
        List<String> labelValues = new ArrayList<>();
        for (String property : properties(objectName.substring(SOCKET_SERVER_METRICS.length() + 1))) {
            int equals = property.indexOf('=');
            String value = property.substring(equals + 1);
            labelNames.add(safe(property.substring(0, equals)));
            labelValues.add(value.startsWith("\"") ? ObjectName.unquote(value) : value);
        }
        String type = SOCKET_SERVER_METRICS.replace(":type=", "_");
        return new PrometheusName(safe(type + "_" + attribute).toLowerCase(Locale.ROOT),
                SOCKET_SERVER_METRICS + " " + attribute, List.copyOf(labelNames), List.copyOf(labelValues));
    }

    /**
     * The name of one attribute of a client quota MBean, as the exporter's quota rules write it:
     * {@code kafka.server:type=Produce,user=alice,client-id=app} and {@code byte-rate} is
     * {@code kafka_server_quota_byte_rate} with {@code resource="Produce"}, {@code user="alice"},
     * {@code clientId="app"} (the parts the MBean has).
     */
    static PrometheusName ofQuotaAttribute(String objectName, String attribute) {
        int colon = objectName.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("Not an object name: " + objectName);
        }
        List<String> labelNames = new ArrayList<>();
        List<String> labelValues = new ArrayList<>();
        for (String property : properties(objectName.substring(colon + 1))) {
            int equals = property.indexOf('=');
            String key = property.substring(0, equals);
            String value = property.substring(equals + 1);
            labelNames.add(switch (key) {
                case "type" -> "resource";
                case "client-id" -> "clientId";
                default -> safe(key);
            });
            labelValues.add(value.startsWith("\"") ? ObjectName.unquote(value) : value);
        }
        String family = safe(objectName.substring(0, colon) + "_quota_" + attribute).toLowerCase(Locale.ROOT);
        return new PrometheusName(family, objectName.substring(0, colon) + " client quota " + attribute,
                List.copyOf(labelNames), List.copyOf(labelValues));
    }

    private static PrometheusName of(String objectName, boolean meter) {
        int colon = objectName.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("Not an object name: " + objectName);
        }
        String domain = objectName.substring(0, colon);
        String type = null;
        String name = null;
        List<String> labelNames = new ArrayList<>();
        List<String> labelValues = new ArrayList<>();
        for (String property : properties(objectName.substring(colon + 1))) {
            int equals = property.indexOf('=');
            String key = property.substring(0, equals);
            String value = property.substring(equals + 1);
            value = value.startsWith("\"") ? ObjectName.unquote(value) : value;
            if (key.equals("type") && type == null) {
                type = value;
            } else if (key.equals("name") && name == null) {
                name = value;
            } else {
                labelNames.add(safe(key));
                labelValues.add(value);
            }
        }
        if (type == null || name == null) {
            throw new IllegalArgumentException("An object name without type or name: " + objectName);
        }
        int perSec = name.indexOf("PerSec");
        String base = meter && perSec > 0 ? name.substring(0, perSec) : name;
        String family = safe(domain + "_" + type + "_" + base).toLowerCase(Locale.ROOT);
        return new PrometheusName(family, domain + ":type=" + type + ",name=" + name,
                List.copyOf(labelNames), List.copyOf(labelValues));
    }

    /** Splits {@code k=v,k="v,w"} at the commas outside quotes (a quoted value escapes with a backslash). */
    private static List<String> properties(String list) {
        List<String> properties = new ArrayList<>();
        StringBuilder property = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (quoted && c == '\\' && i + 1 < list.length()) {
                property.append(c).append(list.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                properties.add(property.toString());
                property.setLength(0);
                continue;
            }
            property.append(c);
        }
        properties.add(property.toString());
        return properties;
    }

    /** Characters a Prometheus name may not have become underscores, and runs of them one, as the exporter does. */
    private static String safe(String name) {
        String safe = name.replaceAll("[^a-zA-Z0-9_]", "_").replaceAll("_{2,}", "_");
        return Character.isDigit(safe.charAt(0)) ? "_" + safe : safe;
    }
}
