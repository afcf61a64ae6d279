package io.gregor.metadata.control;

import io.gregor.metadata.record.MetadataRecord;
import java.util.List;

/**
 * What a controller operation decided: the records to commit (as one batch) and the response to
 * give once they are committed. Computing it changes nothing; only replaying the records does.
 */
public record ControllerResult<T>(List<MetadataRecord> records, T response) {
    public ControllerResult {
        records = List.copyOf(records);
    }
}
