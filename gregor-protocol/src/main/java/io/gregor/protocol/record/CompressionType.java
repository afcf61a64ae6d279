package io.gregor.protocol.record;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * Codec of a batch's records section, stored in the low 3 bits of the batch attributes, with
 * the stream framing Kafka clients use: gzip (RFC 1952), snappy in xerial's framing
 * (SnappyOutputStream), LZ4 frames ({@link Lz4FrameOutputStream}) and zstd frames.
 */
public enum CompressionType {
    NONE(0, "none", 0) {
        @Override
        public OutputStream wrapForOutput(OutputStream out, int level) {
            return out;
        }

        @Override
        public InputStream wrapForInput(InputStream in) {
            return in;
        }
    },
    GZIP(1, "gzip", Deflater.DEFAULT_COMPRESSION) {
        @Override
        public OutputStream wrapForOutput(OutputStream out, int level) throws IOException {
            return new BufferedOutputStream(new LevelledGzipOutputStream(out, level), BUFFER_SIZE);
        }

        @Override
        public InputStream wrapForInput(InputStream in) throws IOException {
            return new GZIPInputStream(in, BUFFER_SIZE);
        }
    },
    SNAPPY(2, "snappy", 0) {
        @Override
        public OutputStream wrapForOutput(OutputStream out, int level) {
            return new SnappyOutputStream(out);
        }

        @Override
        public InputStream wrapForInput(InputStream in) throws IOException {
            return new SnappyInputStream(in);
        }
    },
    LZ4(3, "lz4", 0) {
        @Override
        public OutputStream wrapForOutput(OutputStream out, int level) throws IOException {
            return new Lz4FrameOutputStream(out, level);
        }

        @Override
        public InputStream wrapForInput(InputStream in) throws IOException {
            return new Lz4FrameInputStream(in);
        }
    },
    ZSTD(4, "zstd", 3) {
        @Override
        public OutputStream wrapForOutput(OutputStream out, int level) throws IOException {
            return new BufferedOutputStream(new ZstdOutputStreamNoFinalizer(out, level), BUFFER_SIZE);
        }

        @Override
        public InputStream wrapForInput(InputStream in) throws IOException {
            return new ZstdInputStreamNoFinalizer(in);
        }
    };

    private static final int BUFFER_SIZE = 16 * 1024;
    /** Ids equal declaration order, so the id indexes this array. */
    private static final CompressionType[] BY_ID = values();

    private final int id;
    private final String configName;
    private final int defaultLevel;

    CompressionType(int id, String configName, int defaultLevel) {
        this.id = id;
        this.configName = configName;
        this.defaultLevel = defaultLevel;
    }

    /** The value stored in the attributes. */
    public int id() {
        return id;
    }

    /** The name used by the {@code compression.type} config. */
    public String configName() {
        return configName;
    }

    /**
     * The level {@link #wrapForOutput(OutputStream)} uses: gzip's Deflater default, zstd 3,
     * 0 for LZ4 (its fast compressor; higher values pick the high compressor at that level),
     * 0 (meaningless) for snappy and none.
     */
    public int defaultLevel() {
        return defaultLevel;
    }

    /** A stream compressing into {@code out}; closing it finishes the frame and closes {@code out}. */
    public abstract OutputStream wrapForOutput(OutputStream out, int level) throws IOException;

    public OutputStream wrapForOutput(OutputStream out) throws IOException {
        return wrapForOutput(out, defaultLevel);
    }

    /** A stream decompressing {@code in}. */
    public abstract InputStream wrapForInput(InputStream in) throws IOException;

    /**
     * Decompresses a whole records section into a new heap buffer.
     *
     * @throws CorruptRecordException if the bytes are not valid for this codec
     */
    public ByteBuffer decompress(ByteBuffer compressed) {
        try (InputStream in = wrapForInput(new ByteBufferInputStream(compressed))) {
            return ByteBuffer.wrap(in.readAllBytes());
        } catch (CorruptRecordException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptRecordException("Cannot decompress " + configName + " records: " + e.getMessage(), e);
        }
    }

    /**
     * Decompresses a whole records section, refusing to hold more than {@code maxBytes} of output
     * (a small batch may inflate enormously, so callers that must not run out of memory, such as
     * the log cleaner, bound it).
     *
     * @throws CorruptRecordException if the bytes are not valid for this codec or inflate past the bound
     */
    public ByteBuffer decompress(ByteBuffer compressed, int maxBytes) {
        try (InputStream in = wrapForInput(new ByteBufferInputStream(compressed))) {
            byte[] bytes = in.readNBytes(maxBytes);
            if (in.read() >= 0) {
                throw new CorruptRecordException("Decompressed " + configName + " records exceed " + maxBytes
                        + " bytes");
            }
            return ByteBuffer.wrap(bytes);
        } catch (CorruptRecordException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptRecordException("Cannot decompress " + configName + " records: " + e.getMessage(), e);
        }
    }

    /** Compresses {@code data} into a new heap buffer (whole frame, as stored in a batch). */
    public ByteBuffer compress(ByteBuffer data) {
        GrowableOutputStream out = new GrowableOutputStream(Math.max(64, data.remaining() / 2));
        try (OutputStream compressing = wrapForOutput(out)) {
            ByteBuffer source = data.duplicate();
            byte[] chunk = new byte[Math.min(BUFFER_SIZE, Math.max(1, source.remaining()))];
            while (source.hasRemaining()) {
                int n = Math.min(chunk.length, source.remaining());
                source.get(chunk, 0, n);
                compressing.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteBuffer();
    }

    /** @throws CorruptRecordException for ids no codec has (batch attributes are only 3 bits) */
    public static CompressionType forId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new CorruptRecordException("Unknown compression type id " + id);
        }
        return BY_ID[id];
    }

    public static CompressionType forConfigName(String name) {
        for (CompressionType type : values()) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown compression type " + name);
    }

    /** GZIPOutputStream with a chosen Deflater level (the JDK class only offers the default). */
    private static final class LevelledGzipOutputStream extends GZIPOutputStream {
        LevelledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, 8 * 1024);
            def.setLevel(level);
        }
    }
}
