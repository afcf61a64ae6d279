package io.gregor.server.metrics;

import io.gregor.broker.metrics.AttributeGauge;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;

/**
 * One MBean with an attribute per value of an {@link AttributeGauge}, read live, as Kafka's own
 * metrics library shows such meters (Double attributes, read-only).
 */
final class AttributeGaugeMBean implements DynamicMBean {
    private final AttributeGauge gauge;
    private final MBeanInfo info;

    AttributeGaugeMBean(AttributeGauge gauge) {
        this.gauge = gauge;
        MBeanAttributeInfo[] attributes = gauge.getValue().keySet().stream().sorted()
                .map(name -> new MBeanAttributeInfo(name, Double.class.getName(), name, true, false, false))
                .toArray(MBeanAttributeInfo[]::new);
        this.info = new MBeanInfo(getClass().getName(), "A meter of Kafka's metrics library", attributes, null,
                new MBeanOperationInfo[0], null);
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Double value = gauge.getValue().get(attribute);
        if (value == null) {
            throw new AttributeNotFoundException("No attribute " + attribute);
        }
        return value;
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        Map<String, Double> values = gauge.getValue();
        AttributeList list = new AttributeList();
        for (String attribute : attributes) {
            if (values.containsKey(attribute)) {
                list.add(new Attribute(attribute, values.get(attribute)));
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) {
        throw new UnsupportedOperationException("Meters are read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException("Meters have no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
