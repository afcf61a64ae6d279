package io.gregor.bench.compare;

/** One figure of the comparison, and which way is better. */
record Metric(String key, String label, String unit, boolean higherIsBetter) {
    static Metric higher(String key, String label, String unit) {
        return new Metric(key, label, unit, true);
    }

    static Metric lower(String key, String label, String unit) {
        return new Metric(key, label, unit, false);
    }
}
