package io.gregor.metadata.quorum;

import io.gregor.metadata.image.AclsImage;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.MetadataRecord;
import java.util.List;
import java.util.Map;

/**
 * The whole metadata state at a point of the log, as the records that rebuild it
 * ({@link MetadataImage#toRecords()}) and the offset the next record gets there.
 *
 * @param nextOffset the number of records the log held up to this point; at least the number of
 *     snapshot records, since each of them stands for one or more records of the log
 */
public record MetadataSnapshot(long nextOffset, List<MetadataRecord> records) {
    public MetadataSnapshot {
        records = List.copyOf(records);
        if (nextOffset < records.size()) {
            throw new IllegalArgumentException("a snapshot of " + records.size() + " records cannot end at offset "
                    + nextOffset);
        }
    }

    public static MetadataSnapshot of(MetadataImage image) {
        return new MetadataSnapshot(image.nextOffset(), image.toRecords());
    }

    /**
     * The change from nothing to this snapshot: the records replayed into an empty image placed so
     * that the result's {@link MetadataImage#nextOffset()} is this snapshot's. Publishers given this
     * delta see every topic, broker and config of the snapshot as new.
     */
    public MetadataDelta toDelta(String clusterId) {
        MetadataImage base = new MetadataImage(clusterId, nextOffset - records.size(), Map.of(), Map.of(), Map.of(),
                Map.of(), Map.of(), Map.of(), AclsImage.EMPTY, Map.of(), Map.of());
        MetadataDelta delta = new MetadataDelta(base);
        records.forEach(delta::replay);
        return delta;
    }
}
