package io.gregor.server.cli;

/** How quota values print: byte rates are whole numbers, a mutation rate may have a fraction. */
final class QuotaValue {
    private QuotaValue() {
    }

    static Number of(double value) {
        return value == Math.rint(value) && Math.abs(value) < Long.MAX_VALUE ? (Number) (long) value : (Number) value;
    }
}
