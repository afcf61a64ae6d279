package io.gregor.storage.cleaner;

import io.gregor.protocol.record.ControlRecordType;
import io.gregor.protocol.record.RecordBatch;
import io.gregor.storage.log.LogSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What the cleaner must know of transactions before it touches a log, from one pass over the
 * batch headers of every segment (plus the one record of each control batch): where each
 * producer's COMMIT and ABORT markers are, so a transactional batch is known to be aborted (its
 * producer's next marker is an ABORT) and its records dropped; and the first offset of a
 * transaction with no marker yet, beyond which nothing may be cleaned (an open transaction may
 * still abort, so its values must not supersede older ones). Immutable once built.
 */
final class TransactionScan {
    /** Producer id to its markers: offset to whether it is an ABORT. */
    private final Map<Long, TreeMap<Long, Boolean>> markers;
    private final OptionalLong firstUnstableOffset;

    private TransactionScan(Map<Long, TreeMap<Long, Boolean>> markers, OptionalLong firstUnstableOffset) {
        this.markers = markers;
        this.firstUnstableOffset = firstUnstableOffset;
    }

    static TransactionScan of(List<LogSegment> segments) throws IOException {
        Map<Long, TreeMap<Long, Boolean>> markers = new HashMap<>();
        Map<Long, Long> openTransactions = new HashMap<>();
        for (LogSegment segment : segments) {
            segment.visitHeaders((header, position) -> {
                if (!header.isTransactional()) {
                    return;
                }
                long producerId = header.producerId();
                if (header.isControlBatch()) {
                    openTransactions.remove(producerId);
                    Optional<Boolean> aborted = markerIsAbort(segment, position, header.sizeInBytes());
                    if (aborted.isPresent()) {
                        markers.computeIfAbsent(producerId, id -> new TreeMap<>()).put(header.baseOffset(),
                                aborted.get());
                    }
                } else {
                    openTransactions.putIfAbsent(producerId, header.baseOffset());
                }
            });
        }
        OptionalLong unstable = openTransactions.values().stream().mapToLong(Long::longValue).min();
        return new TransactionScan(markers, unstable);
    }

    private static Optional<Boolean> markerIsAbort(LogSegment segment, int position, int size) throws IOException {
        ByteBuffer bytes = segment.readBatch(position, size);
        Optional<Boolean>[] found = new Optional[] {Optional.empty()};
        RecordBatch.at(bytes, 0).forEachRecord(record -> {
            if (found[0].isEmpty()) {
                found[0] = ControlRecordType.of(record).map(type -> type == ControlRecordType.ABORT);
            }
        });
        return found[0];
    }

    /** Whether the transactional data batch of {@code producerId} at {@code offset} was aborted. */
    boolean isAborted(long producerId, long offset) {
        TreeMap<Long, Boolean> producerMarkers = markers.get(producerId);
        if (producerMarkers == null) {
            return false;
        }
        Map.Entry<Long, Boolean> next = producerMarkers.ceilingEntry(offset);
        return next != null && next.getValue();
    }

    /** The first offset of a transaction not yet ended, if any. */
    OptionalLong firstUnstableOffset() {
        return firstUnstableOffset;
    }
}
