package io.gregor.metadata.quorum;

import io.gregor.metadata.record.MetadataRecord;
import java.util.List;

/**
 * The records of one controller operation, committed and applied all together.
 *
 * @param baseOffset the log offset of the first record; the others follow one offset each
 */
public record MetadataBatch(long baseOffset, List<MetadataRecord> records) {
    public MetadataBatch {
        records = List.copyOf(records);
    }

    public long nextOffset() {
        return baseOffset + records.size();
    }
}
