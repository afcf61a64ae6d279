package io.gregor.metadata.quorum;

import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a metadata log delivered, and the image it adds up to. Thread-safe. */
final class RecordingListener implements CommittedBatchListener {
    private final List<MetadataBatch> batches = new ArrayList<>();
    private final List<MetadataSnapshot> snapshots = new ArrayList<>();
    private MetadataImage image = MetadataImage.empty(RaftTestCluster.CLUSTER_ID);

    @Override
    public synchronized void onCommit(MetadataBatch batch) {
        batches.add(batch);
        MetadataDelta delta = new MetadataDelta(image);
        batch.records().forEach(delta::replay);
        image = delta.apply();
    }

    @Override
    public synchronized void onSnapshot(MetadataSnapshot snapshot) {
        snapshots.add(snapshot);
        image = snapshot.toDelta(RaftTestCluster.CLUSTER_ID).apply();
    }

    synchronized List<MetadataBatch> batches() {
        return List.copyOf(batches);
    }

    synchronized List<MetadataSnapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    synchronized MetadataImage image() {
        return image;
    }
}
