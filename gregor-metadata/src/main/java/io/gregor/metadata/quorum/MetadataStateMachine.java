package io.gregor.metadata.quorum;

import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.CorruptMetadataException;
import io.gregor.metadata.record.MetadataRecord;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our Ratis state machine: each Raft log entry is one metadata batch ({@link RecordListCodec}).
 *
 * <p>The leader checks in {@link #startTransaction} that a proposed batch decodes. Every node then
 * applies committed entries in log order in {@link #applyTransaction}: it replays the batch into
 * its own {@link MetadataImage}, which is the state its snapshots are made of, and hands the
 * batch to the {@link CommittedBatchListener} with its base offset (the number of records before
 * it, as in {@link LocalMetadataLog}, so that offsets agree across nodes). A batch whose records
 * contradict the image (a decision taken against a stale image) is rejected in the same way on
 * every node: not delivered, not counted, and the leader's append fails. Applying never throws,
 * since an exception there stops the Ratis server; failures travel in the reply instead.
 *
 * <p>Snapshot layout, one file per snapshot in Ratis' state machine directory
 * ({@code snapshot.<term>_<index>} with an {@code .md5} beside it, which Ratis uses when it sends
 * the snapshot to a follower), big-endian:
 * <pre>
 *   version     int32   1
 *   crc         int32   CRC32C of every byte after this field
 *   nextOffset  int64   records in the log up to the snapshot
 *   records             the image as records ({@link MetadataImage#toRecords()}, {@link RecordListCodec})
 * </pre>
 *
 * <p>Threading: Ratis calls apply, snapshot and load methods one at a time from its state machine
 * updater thread (and initialize/reinitialize while nothing is applied), so the image is only
 * touched by one thread at a time; the listener runs on that thread. {@link #awaitApplied} may
 * be called from any thread.
 */
final class MetadataStateMachine extends BaseStateMachine {
    private static final Logger log = LoggerFactory.getLogger(MetadataStateMachine.class);
    private static final int SNAPSHOT_VERSION = 1;
    private static final byte APPLIED = 0;
    private static final byte REJECTED = 1;

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final String clusterId;
    private final CommittedBatchListener listener;
    private final LeaderChangeListener leaderChanges;
    private final ControllerRequestHandler controllerRequests;
    private final Object appliedMonitor = new Object();
    private volatile MetadataImage image;
    private final AppliedOffsets appliedOffsets = new AppliedOffsets();

    MetadataStateMachine(String clusterId, CommittedBatchListener listener, LeaderChangeListener leaderChanges,
                         ControllerRequestHandler controllerRequests) {
        this.clusterId = clusterId;
        this.listener = listener;
        this.leaderChanges = leaderChanges;
        this.controllerRequests = controllerRequests;
        this.image = MetadataImage.empty(clusterId);
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().transition(LifeCycle.State.STARTING);
        loadLatestSnapshot();
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /**
     * Ratis pauses the state machine before it installs a snapshot from the leader, and checks
     * that it is paused before {@link #reinitialize}.
     */
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** Called after a snapshot from the leader was installed in place of the entries this node missed. */
    @Override
    public void reinitialize() throws IOException {
        getLifeCycle().transition(LifeCycle.State.STARTING);
        loadLatestSnapshot();
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext transaction = super.startTransaction(request);
        try {
            RecordListCodec.decode(request.getMessage().getContent().asReadOnlyByteBuffer());
        } catch (RuntimeException e) {
            transaction.setException(new IOException("metadata batch does not decode", e));
        }
        return transaction;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        LogEntryProto entry = transaction.getLogEntry();
        TermIndex termIndex = TermIndex.valueOf(entry);
        ByteString data = entry.getStateMachineLogEntry().getLogData();
        Message reply;
        try {
            List<MetadataRecord> records = RecordListCodec.decode(data.asReadOnlyByteBuffer());
            MetadataDelta delta = new MetadataDelta(image);
            records.forEach(delta::replay);
            long baseOffset = image.nextOffset();
            image = delta.apply();
            deliver(new MetadataBatch(baseOffset, records));
            reply = Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(1 + Long.BYTES).put(APPLIED)
                    .putLong(baseOffset).flip()));
        } catch (RuntimeException e) {
            // Decoding and replaying are deterministic, so every node rejects the same entry and
            // the images stay equal. Typically a CorruptMetadataException, or an
            // IllegalStateException from a record that contradicts the image.
            log.warn("Metadata batch at Raft index {} rejected: {}", termIndex.getIndex(), e.getMessage());
            reply = Message.valueOf(ByteString.copyFrom(new byte[] {REJECTED})
                    .concat(ByteString.copyFromUtf8(String.valueOf(e.getMessage()))));
        }
        applied(termIndex);
        return CompletableFuture.completedFuture(reply);
    }

    /**
     * A read-only request is not a read of our state here but a controller request from another
     * node ({@link RaftMetadataLog#sendToController}); Ratis only hands it to us on the leader.
     */
    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            return controllerRequests.handle(request.getContent().asReadOnlyByteBuffer())
                    .thenApply(answer -> Message.valueOf(ByteString.copyFrom(answer)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Configuration and leader no-op entries have no data for us but move the applied index. */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        applied(TermIndex.valueOf(term, index));
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        Path temporary = file.toPath().getParent().resolveSibling("snapshot-in-progress");
        MetadataSnapshot snapshot = MetadataSnapshot.of(image);
        Files.write(temporary, encodeSnapshot(snapshot));
        Files.move(temporary, file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(
                new FileInfo(file.toPath(), MD5FileUtil.computeAndSaveMd5ForFile(file)), last));
        log.debug("Metadata snapshot at Raft index {}: {} records up to offset {}", last.getIndex(),
                snapshot.records().size(), snapshot.nextOffset());
        return last.getIndex();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId memberId, RaftPeerId newLeaderId) {
        // Becoming leader is announced by notifyLeaderReady, once the earlier leaders' batches are applied.
        if (newLeaderId == null || !newLeaderId.equals(memberId.getPeerId())) {
            leaderChanges.onLeaderChange(newLeaderId == null ? OptionalInt.empty()
                    : OptionalInt.of(Integer.parseInt(newLeaderId.toString())));
        }
    }

    @Override
    public void notifyLeaderReady() {
        leaderChanges.onLeaderChange(OptionalInt.of(Integer.parseInt(getId().toString())));
    }

    /** Waits until the entry at {@code index} is applied; false if the time ran out. */
    boolean awaitApplied(long index, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (appliedMonitor) {
            while (appliedIndex() < index) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(appliedMonitor, remaining);
            }
            return true;
        }
    }

    /**
     * The number of metadata records up to and including the Raft entry at {@code index}, if it
     * is applied here and recent ({@link AppliedOffsets}).
     */
    OptionalLong nextOffsetAt(long index) {
        return appliedOffsets.nextOffsetAt(index);
    }

    /** The base offset from an applied entry's reply, or why the batch was rejected. */
    static long baseOffset(Message reply) {
        ByteBuffer content = reply.getContent().asReadOnlyByteBuffer();
        if (content.get() == APPLIED) {
            return content.getLong();
        }
        throw new MetadataQuorumException("metadata batch rejected: " + StandardCharsets.UTF_8.decode(content));
    }

    static byte[] encodeSnapshot(MetadataSnapshot snapshot) {
        byte[] records = RecordListCodec.encode(snapshot.records());
        ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES * 2 + Long.BYTES + records.length);
        buffer.putInt(SNAPSHOT_VERSION).putInt(0).putLong(snapshot.nextOffset()).put(records);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), Integer.BYTES * 2, buffer.capacity() - Integer.BYTES * 2);
        buffer.putInt(Integer.BYTES, (int) crc.getValue());
        return buffer.array();
    }

    static MetadataSnapshot decodeSnapshot(byte[] bytes, Path file) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length < Integer.BYTES * 2 + Long.BYTES || buffer.getInt() != SNAPSHOT_VERSION) {
            throw new CorruptMetadataException("metadata snapshot " + file + " is cut short or of an unknown version");
        }
        int storedCrc = buffer.getInt();
        CRC32C crc = new CRC32C();
        crc.update(bytes, buffer.position(), buffer.remaining());
        if (storedCrc != (int) crc.getValue()) {
            throw new CorruptMetadataException("metadata snapshot " + file + " fails its CRC");
        }
        long nextOffset = buffer.getLong();
        return new MetadataSnapshot(nextOffset, RecordListCodec.decode(buffer));
    }

    private void loadLatestSnapshot() throws IOException {
        SingleFileSnapshotInfo latest = storage.loadLatestSnapshot();
        if (latest == null) {
            return;
        }
        Path file = latest.getFile().getPath();
        MetadataSnapshot snapshot = decodeSnapshot(Files.readAllBytes(file), file);
        image = snapshot.toDelta(clusterId).apply();
        listener.onSnapshot(snapshot);
        log.info("Metadata loaded from snapshot {}: {} records up to offset {}", file, snapshot.records().size(),
                snapshot.nextOffset());
        synchronized (appliedMonitor) {
            setLastAppliedTermIndex(latest.getTermIndex());
            appliedOffsets.reset(latest.getIndex(), snapshot.nextOffset());
            appliedMonitor.notifyAll();
        }
    }

    private void deliver(MetadataBatch batch) {
        try {
            listener.onCommit(batch);
        } catch (RuntimeException e) {
            // The batch is committed and in our image whatever the listener made of it; stopping
            // the Raft server would not undo it.
            log.error("Metadata listener failed on the batch at offset {}", batch.baseOffset(), e);
        }
    }

    private void applied(TermIndex termIndex) {
        synchronized (appliedMonitor) {
            updateLastAppliedTermIndex(termIndex);
            appliedOffsets.applied(termIndex.getIndex(), image.nextOffset());
            appliedMonitor.notifyAll();
        }
    }

    private long appliedIndex() {
        TermIndex last = getLastAppliedTermIndex();
        return last == null ? RaftLog.INVALID_LOG_INDEX : last.getIndex();
    }
}
