package io.gregor.protocol.gen;

/**
 * An inclusive range of protocol versions as written in the specs: {@code "3"}, {@code "1-4"},
 * {@code "2+"} or {@code "none"}. Open-ended ranges run to {@link Short#MAX_VALUE}.
 */
public record Versions(short lowest, short highest) {
    public static final Versions NONE = new Versions((short) 0, (short) -1);
    public static final Versions ALL = new Versions((short) 0, Short.MAX_VALUE);

    public static Versions parse(String text, Versions whenAbsent) {
        if (text == null) {
            return whenAbsent;
        }
        String t = text.trim();
        if (t.equals("none")) {
            return NONE;
        }
        if (t.endsWith("+")) {
            return new Versions(Short.parseShort(t.substring(0, t.length() - 1)), Short.MAX_VALUE);
        }
        int dash = t.indexOf('-');
        if (dash > 0) {
            return new Versions(Short.parseShort(t.substring(0, dash)), Short.parseShort(t.substring(dash + 1)));
        }
        short v = Short.parseShort(t);
        return new Versions(v, v);
    }

    public boolean isEmpty() {
        return lowest > highest;
    }

    public boolean contains(short version) {
        return version >= lowest && version <= highest;
    }

    public Versions intersect(Versions other) {
        short lo = (short) Math.max(lowest, other.lowest);
        short hi = (short) Math.min(highest, other.highest);
        return lo > hi ? NONE : new Versions(lo, hi);
    }

    /** The versions of this range that are not in {@code other}, when that is one range. */
    public Versions subtract(Versions other) {
        Versions common = intersect(other);
        if (common.isEmpty()) {
            return this;
        }
        if (common.equals(this)) {
            return NONE;
        }
        if (common.lowest == lowest) {
            return new Versions((short) (common.highest + 1), highest);
        }
        if (common.highest == highest) {
            return new Versions(lowest, (short) (common.lowest - 1));
        }
        throw new IllegalArgumentException("cannot subtract " + other + " from the middle of " + this);
    }

    /**
     * A Java boolean expression over the variable {@code version} that holds exactly for the
     * versions in this range, given that {@code version} lies within {@code known}.
     */
    public String condition(Versions known) {
        Versions self = intersect(known);
        if (self.isEmpty()) {
            return "false";
        }
        boolean needLow = self.lowest > known.lowest;
        boolean needHigh = self.highest < known.highest;
        if (needLow && needHigh) {
            return "version >= " + self.lowest + " && version <= " + self.highest;
        }
        if (needLow) {
            return "version >= " + self.lowest;
        }
        if (needHigh) {
            return "version <= " + self.highest;
        }
        return "true";
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        if (highest == Short.MAX_VALUE) {
            return lowest + "+";
        }
        return lowest == highest ? Short.toString(lowest) : lowest + "-" + highest;
    }
}
