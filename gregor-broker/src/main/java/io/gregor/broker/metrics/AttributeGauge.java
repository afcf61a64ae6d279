package io.gregor.broker.metrics;

import com.codahale.metrics.Gauge;
import java.util.Map;

/**
 * A meter that Kafka shows as one MBean with several attributes, as its own metrics library does
 * (the client quotas' {@code kafka.server:type=Produce,user=...,client-id=...} with
 * {@code byte-rate} and {@code throttle-time}), where Dropwizard makes an MBean per meter: its value
 * is each attribute's, by name, always the same names. The server's JMX registration makes it one
 * MBean with those attributes, and its Prometheus endpoint a gauge per attribute.
 */
public interface AttributeGauge extends Gauge<Map<String, Double>> {
}
