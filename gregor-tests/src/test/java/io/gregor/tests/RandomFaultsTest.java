package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.NetworkNamespaces;
import io.gregor.testkit.NodeNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Jepsen-style check: three combined broker+controller processes (replication factor 3,
 * min.insync.replicas=2) under a seeded random schedule of faults — SIGKILL and restart, SIGSTOP
 * and SIGCONT, and (where the machine lets the test create Linux network namespaces, i.e. as root)
 * a node cut off from the other two or one link between two nodes cut; at most one node faulty
 * at a time, a fault aimed at a partition's leader or at a chosen node — while an idempotent
 * acks=all producer writes sequence-numbered values to every partition and a consumer reads
 * concurrently. Afterwards every acknowledged record must be in the log exactly once, at the
 * offset it was acknowledged with, in the order it was sent, and every record the concurrent
 * consumer read must still be at the offset it was read at. The schedule and the verdict are
 * printed; {@code -Dgregor.faults.seed=N} replays a schedule.
 */
class RandomFaultsTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String TOPIC = "jepsen";
    private static final int PARTITIONS = 4;
    private static final int NODES = 3;
    private static final int STEPS = 7;
    /**
     * The writer's pace: a round of 100 records, acknowledged before the next round starts 10 ms
     * later; at most 10,000 records a second, a load the machine keeps up with under faults.
     */
    private static final int RECORDS_PER_ROUND = 100;
    private static final Duration ROUND_INTERVAL = Duration.ofMillis(10);
    /**
     * Bounds on the writer, far beyond any schedule: it writes until the schedule is over, and
     * reaching one fails the test rather than leaving it waiting for acknowledgements.
     */
    private static final Duration MAX_WRITE_TIME = Duration.ofMinutes(5);
    private static final long MAX_RECORDS = RECORDS_PER_ROUND * (MAX_WRITE_TIME.toMillis() / ROUND_INTERVAL.toMillis());

    /** Kept when the test fails: the nodes' logs (node-N-broker.log) are there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tempDir;
    private static List<GregorProcess> nodes;
    private static String bootstrap;
    /** A namespace per node when the machine allows it (root), else null: no partitions then. */
    private static NetworkNamespaces network;
    private static String partitionsNote;

    @BeforeAll
    static void startCluster() throws Exception {
        Optional<String> unavailable = NetworkNamespaces.unavailableBecause();
        if (unavailable.isEmpty()) {
            network = NetworkNamespaces.create(NODES);
            partitionsNote = "network partitions: scheduled (a network namespace per node, joined by a bridge)";
        } else {
            partitionsNote = "network partitions: NOT scheduled, " + unavailable.get();
        }
        nodes = GregorProcess.cluster(tempDir, NODES, 0, Map.of(
                "broker.session.timeout.ms", "6000",
                "broker.heartbeat.interval.ms", "500",
                "replica.lag.time.max.ms", "2000",
                "auto.leader.rebalance.enable", "false",
                "offsets.topic.num.partitions", "3"),
                id -> network == null ? NodeNetwork.LOOPBACK : network.node(id));
        nodes.forEach(GregorProcess::start);
        bootstrap = nodes.stream().map(GregorProcess::bootstrapServers).collect(Collectors.joining(","));
        try (Admin admin = Clients.admin(bootstrap)) {
            await("three brokers registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get().size() == NODES);
            createTopic(admin);
            awaitFullIsr();
        }
    }

    /**
     * Creates the topic. The admin client retries a CreateTopics that timed out on a loaded
     * machine, and the retry may find the topic its first attempt created: then the topic is
     * checked to be the one asked for.
     */
    private static void createTopic(Admin admin) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) NODES)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            System.out.println("[RandomFaultsTest] CreateTopics was retried and found the topic made: " + e.getCause());
        }
        // The node answering may not have applied the new topic yet: metadata reaches brokers after
        // the controller commits it, in Kafka too.
        await(TOPIC + " in the metadata").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                .until(() -> partitions(admin).size() == PARTITIONS);
        assertThat(partitions(admin)).as("partitions of " + TOPIC).hasSize(PARTITIONS)
                .allSatisfy(p -> assertThat(p.replicas()).hasSize(NODES));
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
        assertThat(admin.describeConfigs(List.of(topic)).all().get().get(topic).get("min.insync.replicas").value())
                .as("min.insync.replicas of " + TOPIC).isEqualTo("2");
    }

    @AfterAll
    static void stopCluster() {
        if (nodes != null) {
            nodes.forEach(GregorProcess::close);
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void acknowledgedRecordsSurviveARandomScheduleOfKillsPausesAndPartitions() throws Exception {
        long seed = Long.getLong("gregor.faults.seed", System.nanoTime());
        List<Step> schedule = schedule(new Random(seed));
        String plan = "seed " + seed + " (replay with -Dgregor.faults.seed=" + seed + ")\n"
                + partitionsNote + "\n"
                + "node logs: " + tempDir + " (kept if the test fails)\n"
                + schedule.stream().map(Step::toString).collect(Collectors.joining("\n"));
        System.out.println("[RandomFaultsTest] schedule:\n" + plan);

        Workload workload = new Workload();
        workload.start();
        try (Admin admin = Clients.admin(bootstrap)) {
            workload.awaitProgress();
            for (Step step : schedule) {
                step.apply(admin);
                workload.awaitProgress(); // the cluster serves writes again before the next fault
            }
        } finally {
            nodes.stream().filter(GregorProcess::isAlive).forEach(RandomFaultsTest::resumeQuietly);
            if (network != null) {
                network.heal();
            }
            workload.stop();
        }
        awaitFullIsr();

        Verdict verdict = workload.check(readEverything());
        System.out.println("[RandomFaultsTest] verdict (" + plan.lines().findFirst().orElseThrow() + "):\n" + verdict);
        assertThat(workload.failure.get())
                .as("the workload's failure (producer or concurrent consumer); schedule:\n%s", plan).isNull();
        assertThat(verdict.violations()).as("violations under the schedule:\n%s\nverdict:\n%s", plan, verdict)
                .isEmpty();
        assertThat(verdict.acknowledged).as("acknowledged records").isPositive();
        assertThat(verdict.readConcurrently).as("records read concurrently").isPositive();
    }

    /**
     * A fault held for a while, then healed. Its target is {@code chosenNode}, or, when
     * {@code leaderOf} is a partition, whichever node leads that partition when the step starts:
     * faults at leaders that clients still reach are the ones that could lose acknowledged writes.
     */
    private record Step(int number, Fault fault, int chosenNode, int leaderOf, Duration hold) {
        void apply(Admin admin) throws Exception {
            int node = target(admin);
            GregorProcess process = nodes.get(node - 1);
            System.out.println("[RandomFaultsTest] step " + this + " -> node " + node
                    + (fault == Fault.CUT ? " | node " + peer(node) : ""));
            switch (fault) {
                case KILL -> {
                    process.kill();
                    sleepThroughStep();
                    process.start();
                }
                case PAUSE -> {
                    process.pause();
                    try {
                        sleepThroughStep();
                    } finally {
                        process.resume();
                    }
                }
                case CUT -> {
                    network.partition(node, peer(node));
                    try {
                        sleepThroughStep();
                    } finally {
                        network.heal();
                    }
                }
                case ISOLATE -> {
                    for (int other = 1; other <= NODES; other++) {
                        if (other != node) {
                            network.partition(node, other);
                        }
                    }
                    try {
                        sleepThroughStep();
                    } finally {
                        network.heal();
                    }
                }
            }
            // One node down at a time: the next fault starts once this node is back in every ISR.
            awaitFullIsr();
        }

        private int target(Admin admin) throws Exception {
            if (leaderOf < 0) {
                return chosenNode;
            }
            TopicPartitionInfo partition = partitions(admin).get(leaderOf);
            return partition.leader() == null ? chosenNode : partition.leader().id();
        }

        /** The node a CUT separates {@code node} from; both still reach the third. */
        private static int peer(int node) {
            return node % NODES + 1;
        }

        /** The step's length: a deliberate pause on the schedule's clock, not a wait for a condition. */
        private void sleepThroughStep() {
            await().pollDelay(hold).atMost(hold.plusSeconds(5)).until(() -> true);
        }

        @Override
        public String toString() {
            String node = leaderOf < 0 ? "node " + chosenNode : "the leader of " + TOPIC + "-" + leaderOf;
            String target = fault == Fault.CUT ? node + " | the next node" : node;
            return String.format("%d. %-7s %s for %d ms", number, fault, target, hold.toMillis());
        }
    }

    /**
     * KILL: SIGKILL, then a restart on the same data. PAUSE: SIGSTOP, then SIGCONT. ISOLATE: the
     * network between the node and both others is cut (clients still reach every node), then healed.
     * CUT: only the link between two nodes is cut; each still reaches the third (a partial partition).
     */
    private enum Fault { KILL, PAUSE, ISOLATE, CUT }

    private static List<Step> schedule(Random random) {
        List<Fault> faults = new ArrayList<>(List.of(Fault.KILL, Fault.PAUSE));
        if (network != null) {
            faults.add(Fault.ISOLATE);
            faults.add(Fault.CUT);
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 1; i <= STEPS; i++) {
            Fault fault = faults.get(random.nextInt(faults.size()));
            int leaderOf = random.nextBoolean() ? random.nextInt(PARTITIONS) : -1;
            steps.add(new Step(i, fault, 1 + random.nextInt(NODES), leaderOf,
                    Duration.ofMillis(2000 + random.nextInt(7000))));
        }
        return steps;
    }

    /** One idempotent acks=all producer and one concurrent reader, and what each recorded. */
    private static final class Workload {
        /** Per partition, in acknowledgement order: offset and value. */
        final Map<Integer, List<Acked>> acknowledged = new ConcurrentHashMap<>();
        /** Per partition: offset to the value the concurrent consumer read there. */
        final Map<Integer, Map<Long, String>> read = new ConcurrentHashMap<>();
        /** Offsets where the concurrent consumer found a different value on a second read. */
        final List<String> rereadDifferently = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong acks = new AtomicLong();
        final AtomicBoolean stopped = new AtomicBoolean();
        final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(
                runnable -> new Thread(runnable, "jepsen-writer"));
        final Thread reader = new Thread(this::read, "jepsen-reader");
        /** The writer's state, touched only on its thread (and by stop() once it has ended). */
        private KafkaProducer<String, String> producer;
        private final int[] sequences = new int[PARTITIONS];
        private long written;
        private long writeDeadline;

        Workload() {
            for (int p = 0; p < PARTITIONS; p++) {
                acknowledged.put(p, new ArrayList<>());
                read.put(p, new ConcurrentHashMap<>());
            }
        }

        void start() {
            producer = Clients.producer(bootstrap, Map.of(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                    ProducerConfig.METADATA_MAX_AGE_CONFIG, 1_000));
            writeDeadline = System.nanoTime() + MAX_WRITE_TIME.toNanos();
            writer.scheduleWithFixedDelay(this::writeRound, 0, ROUND_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            reader.start();
        }

        /** Ends the writer after its current round, closes the producer (sends still in flight complete). */
        void stop() throws InterruptedException {
            stopped.set(true);
            writer.shutdown();
            if (!writer.awaitTermination(150, TimeUnit.SECONDS)) {
                failure.compareAndSet(null, new IllegalStateException("the writer's last round did not end"));
            }
            producer.close();
            reader.join(60_000);
        }

        /** Waits until a few hundred more records are acknowledged: the cluster is serving writes. */
        void awaitProgress() {
            long before = acks.get();
            try {
                await("more acknowledged records").atMost(CLUSTER_TIMEOUT)
                        .until(() -> failure.get() != null || acks.get() >= before + 200);
            } catch (ConditionTimeoutException e) {
                System.out.println("[RandomFaultsTest] no progress: " + (acks.get() - before)
                        + " acknowledgements in " + CLUSTER_TIMEOUT.toSeconds() + " s; the clients' threads:\n"
                        + clientThreads());
                throw e;
            }
        }

        /** Where the writer, the reader and the producer's I/O thread are: what a stall waits on. */
        private static String clientThreads() {
            StringBuilder dump = new StringBuilder();
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                if (thread.getName().startsWith("jepsen-") || thread.getName().startsWith("kafka-producer")) {
                    dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                    for (StackTraceElement frame : stack) {
                        dump.append("    at ").append(frame).append('\n');
                    }
                }
            });
            return dump.toString();
        }

        /** One round: writes "<partition>-<sequence>" to each partition in turn, then waits for the acknowledgements. */
        private void writeRound() {
            if (failure.get() != null) {
                return;
            }
            if (written >= MAX_RECORDS || System.nanoTime() > writeDeadline) {
                failure.compareAndSet(null, new IllegalStateException("the writer reached its bound of "
                        + MAX_RECORDS + " records or " + MAX_WRITE_TIME + " before the schedule ended"));
                return;
            }
            try {
                for (int i = 0; i < RECORDS_PER_ROUND; i++, written++) {
                    int partition = (int) (written % PARTITIONS);
                    String value = partition + "-" + sequences[partition]++;
                    producer.send(new ProducerRecord<>(TOPIC, partition, "k", value), (metadata, error) -> {
                        if (error == null) {
                            // Callbacks of one partition run in order on the producer's I/O thread.
                            List<Acked> acked = acknowledged.get(partition);
                            synchronized (acked) {
                                acked.add(new Acked(metadata.offset(), value));
                            }
                            acks.incrementAndGet();
                        } else {
                            failure.compareAndSet(null, error);
                        }
                    });
                }
                producer.flush();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }

        private void read() {
            try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of())) {
                consumer.assign(topicPartitions());
                while (!stopped.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        // The first value read at an offset is kept: a re-read (after an offset reset)
                        // finding another value there is itself a read that was lost.
                        String first = read.get(record.partition()).putIfAbsent(record.offset(), record.value());
                        if (first != null && !first.equals(record.value())) {
                            rereadDifferently.add(String.format("partition %d: a consumer read %s at offset %d, "
                                    + "later %s", record.partition(), first, record.offset(), record.value()));
                        }
                    }
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }

        Verdict check(Map<Integer, List<ConsumerRecord<String, String>>> log) {
            Verdict verdict = new Verdict();
            for (int p = 0; p < PARTITIONS; p++) {
                Map<Long, String> byOffset = new HashMap<>();
                Map<String, Integer> copies = new HashMap<>();
                long lastSequence = -1;
                for (ConsumerRecord<String, String> record : log.get(p)) {
                    byOffset.put(record.offset(), record.value());
                    if (copies.merge(record.value(), 1, Integer::sum) == 2) {
                        verdict.violation("partition %d: %s is in the log more than once", p, record.value());
                        verdict.duplicated++;
                    }
                    long sequence = sequence(record.value());
                    if (sequence <= lastSequence) {
                        verdict.violation("partition %d: %s at offset %d follows sequence %d",
                                p, record.value(), record.offset(), lastSequence);
                        verdict.reordered++;
                    }
                    lastSequence = Math.max(lastSequence, sequence);
                }
                verdict.logged += log.get(p).size();

                List<Acked> acked = acknowledged.get(p);
                long lastOffset = -1;
                synchronized (acked) {
                    for (Acked ack : acked) {
                        verdict.acknowledged++;
                        if (ack.offset <= lastOffset) {
                            verdict.violation("partition %d: %s acknowledged at offset %d after offset %d",
                                    p, ack.value, ack.offset, lastOffset);
                            verdict.reordered++;
                        }
                        lastOffset = ack.offset;
                        String stored = byOffset.get(ack.offset);
                        if (!ack.value.equals(stored)) {
                            verdict.violation("partition %d: %s acknowledged at offset %d, the log has %s there",
                                    p, ack.value, ack.offset, stored);
                            verdict.lost++;
                        }
                    }
                }
                for (Map.Entry<Long, String> seen : read.get(p).entrySet()) {
                    verdict.readConcurrently++;
                    String stored = byOffset.get(seen.getKey());
                    if (!seen.getValue().equals(stored)) {
                        verdict.violation("partition %d: a consumer read %s at offset %d, the log now has %s there",
                                p, seen.getValue(), seen.getKey(), stored);
                        verdict.lostReads++;
                    }
                }
            }
            for (String change : rereadDifferently) {
                verdict.violation("%s", change);
                verdict.lostReads++;
            }
            return verdict;
        }

        private static long sequence(String value) {
            return Long.parseLong(value.substring(value.indexOf('-') + 1));
        }
    }

    private record Acked(long offset, String value) {
    }

    private static final class Verdict {
        long acknowledged;
        long logged;
        long readConcurrently;
        long lost;
        long duplicated;
        long reordered;
        long lostReads;
        private final List<String> violations = new ArrayList<>();

        void violation(String format, Object... args) {
            if (violations.size() < 50) { // enough to diagnose, not a wall of text
                violations.add(String.format(format, args));
            }
        }

        List<String> violations() {
            return violations;
        }

        @Override
        public String toString() {
            return String.format("acknowledged %d, in the final log %d, read concurrently %d; "
                            + "lost %d, duplicated %d, reordered %d, read and later lost %d -> %s%s",
                    acknowledged, logged, readConcurrently, lost, duplicated, reordered, lostReads,
                    violations.isEmpty() ? "OK" : "VIOLATIONS",
                    violations.isEmpty() ? "" : "\n  " + String.join("\n  ", violations));
        }
    }

    /** Reads every partition from the start to its end offset (the high watermark). */
    private static Map<Integer, List<ConsumerRecord<String, String>>> readEverything() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of())) {
            consumer.assign(topicPartitions());
            Map<TopicPartition, Long> ends = consumer.endOffsets(topicPartitions());
            Map<Integer, List<ConsumerRecord<String, String>>> records = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                records.put(p, new ArrayList<>());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && ends.entrySet().stream()
                    .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < ends.get(new TopicPartition(TOPIC, record.partition()))) {
                        records.get(record.partition()).add(record);
                    }
                }
            }
            ends.forEach((tp, end) -> assertThat(consumer.position(tp))
                    .as("read %s up to its end offset", tp).isGreaterThanOrEqualTo(end));
            return records;
        }
    }

    /**
     * Waits until every node's own metadata shows each partition led, with all replicas in sync, and
     * the nodes agree on its leader and leader epoch. Asking one node is not enough: a node that was
     * cut off answers from the metadata it had, which may show a full ISR long gone.
     */
    private static void awaitFullIsr() {
        await("every node sees every partition led, all replicas in sync").atMost(CLUSTER_TIMEOUT)
                .ignoreExceptions().until(() -> {
                    Set<String> views = new HashSet<>();
                    for (GregorProcess node : nodes) {
                        Optional<String> view = settledView(node);
                        if (view.isEmpty()) {
                            return false;
                        }
                        views.add(view.get());
                    }
                    return views.size() == 1;
                });
    }

    /** The leader and epoch of each partition as {@code node} describes them, if all replicas are in sync. */
    private static Optional<String> settledView(GregorProcess node) throws IOException {
        try (RawConnection connection = new RawConnection(node.bootstrapServers())) {
            MetadataResponse response = (MetadataResponse) connection.send(new MetadataRequest.Builder(
                    List.of(TOPIC), false).build());
            List<String> partitions = new ArrayList<>();
            for (MetadataResponse.TopicMetadata topic : response.topicMetadata()) {
                for (MetadataResponse.PartitionMetadata p : topic.partitionMetadata()) {
                    if (p.leaderId.isEmpty() || p.inSyncReplicaIds.size() != NODES) {
                        return Optional.empty();
                    }
                    partitions.add(p.partition() + ":" + p.leaderId.get() + "@" + p.leaderEpoch.orElse(-1));
                }
            }
            Collections.sort(partitions);
            return partitions.size() == PARTITIONS ? Optional.of(String.join(",", partitions)) : Optional.empty();
        }
    }

    private static void resumeQuietly(GregorProcess process) {
        process.resume(); // SIGCONT to a running process is harmless
    }

    private static List<TopicPartition> topicPartitions() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(TOPIC, p));
        }
        return partitions;
    }

    private static List<TopicPartitionInfo> partitions(Admin admin) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
        return description.partitions();
    }
}
