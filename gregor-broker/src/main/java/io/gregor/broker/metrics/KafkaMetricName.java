package io.gregor.broker.metrics;

import javax.management.ObjectName;

/**
 * The names of the meters that Apache Kafka also has, written as Kafka writes them: a JMX object
 * name of the meter's domain (Kafka's metric group, such as {@code kafka.server}), type and name,
 * then its tags, as in {@code kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=t}.
 * Dashboards and JMX exporters written for Kafka look meters up by these names, so Gregor keeps
 * them, and uses them as the meters' names in its registry too.
 */
public final class KafkaMetricName {
    private KafkaMetricName() {
    }

    /**
     * @param tags key and value pairs, in the order Kafka gives them; a value with a character
     *     that object names reserve is quoted (topic names have none)
     */
    public static String of(String domain, String type, String name, String... tags) {
        if (tags.length % 2 != 0) {
            throw new IllegalArgumentException("Tags come in key and value pairs: " + String.join(",", tags));
        }
        StringBuilder objectName = new StringBuilder(domain).append(":type=").append(type)
                .append(",name=").append(name);
        for (int i = 0; i < tags.length; i += 2) {
            String value = tags[i + 1];
            objectName.append(',').append(tags[i]).append('=')
                    .append(needsQuotes(value) ? ObjectName.quote(value) : value);
        }
        return objectName.toString();
    }

    /**
     * The name of a meter of Kafka's own metrics library, which has no {@code name=} and leaves out
     * the tags whose value is empty, as in {@code kafka.server:type=Produce,client-id=app}.
     *
     * @param tags key and value pairs, in the order Kafka gives them
     */
    public static String ofTags(String domain, String type, String... tags) {
        if (tags.length % 2 != 0) {
            throw new IllegalArgumentException("Tags come in key and value pairs: " + String.join(",", tags));
        }
        StringBuilder objectName = new StringBuilder(domain).append(":type=").append(type);
        for (int i = 0; i < tags.length; i += 2) {
            String value = tags[i + 1];
            if (!value.isEmpty()) {
                objectName.append(',').append(tags[i]).append('=')
                        .append(needsQuotes(value) ? ObjectName.quote(value) : value);
            }
        }
        return objectName.toString();
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\n') {
                return true;
            }
        }
        return value.isEmpty();
    }
}
