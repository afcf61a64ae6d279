package io.gregor.protocol.record;

/** Codec of a batch's records section, stored in the low 3 bits of the batch attributes. */
public enum CompressionType {
    NONE(0, "none"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

    private final int id;
    private final String configName;

    CompressionType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The value stored in the attributes. */
    public int id() {
        return id;
    }

    /** The name used by the {@code compression.type} config. */
    public String configName() {
        return configName;
    }

    public static CompressionType forId(int id) {
        for (CompressionType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        throw new CorruptRecordException("Unknown compression type id " + id);
    }

    public static CompressionType forConfigName(String name) {
        for (CompressionType type : values()) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown compression type " + name);
    }
}
