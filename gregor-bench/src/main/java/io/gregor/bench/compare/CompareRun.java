package io.gregor.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code gregor-bench compare}: starts Apache Kafka, then Gregor, each alone on the machine,
 * puts the same load on each and writes the figures side by side.
 *
 * <p>Per broker, in order: start-up; an unmeasured warm-up; produce with Kafka's ProducerPerformance (acks=1 and
 * acks=all, compression none and lz4, each into its own 3-partition topic); consume the
 * acks=1/none topic from the beginning; end-to-end latency with {@link LatencyProbe}; create a
 * 1,000-partition topic and produce to it; compact a log of keyed records; Kafka's EndToEndLatency; peak RSS. The
 * broker's CPU time is read from /proc before and after each throughput phase.
 */
public final class CompareRun {
    private static final Pattern PRODUCER_SUMMARY = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency");
    /** ConsumerPerformance's line of figures: two times, then eight numbers. */
    private static final Pattern CONSUMER_SUMMARY = Pattern.compile(
            "(?m)^(\\d{4}-\\d\\d-\\d\\d [\\d:]+, \\d{4}-\\d\\d-\\d\\d [\\d:]+(, -?[\\d.]+){8})\\s*$");
    private static final Pattern E2E_AVERAGE = Pattern.compile("Avg latency: ([\\d.]+) ms");
    private static final Pattern E2E_PERCENTILES = Pattern.compile(
            "Percentiles: 50th = (\\d+), 99th = (\\d+), 99.9th = (\\d+)");
    private static final Pattern PROBE_SUMMARY = Pattern.compile(
            "p50_ms=([\\d.]+) p99_ms=([\\d.]+) p999_ms=([\\d.]+)");
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(10);
    private static final int WARM_UP_ROUNDS = 2;

    static final Metric ACCEPT = Metric.lower("startup.tcp", "Start-up to accepting TCP", "ms");
    static final Metric STARTUP = Metric.lower("startup", "Start-up to answering ApiVersions", "ms");
    static final Metric CONSUME = Metric.higher("consume.mbps", "Consume (ConsumerPerformance fetch MB/s, 3 partitions)", "MB/s");
    static final Metric CONSUME_CPU = Metric.lower("consume.cpu", "Broker CPU per GB consumed", "CPU-s/GB");
    static final Metric E2E_TOOL_AVG = Metric.lower("e2e.tool.avg", "EndToEndLatency avg (1 in flight)", "ms");
    static final Metric E2E_TOOL_P99 = Metric.lower("e2e.tool.p99", "EndToEndLatency p99 (whole ms)", "ms");
    static final Metric E2E_P50 = Metric.lower("e2e.p50", "E2E latency p50 @1000/s", "ms");
    static final Metric E2E_P99 = Metric.lower("e2e.p99", "E2E latency p99 @1000/s", "ms");
    static final Metric E2E_P999 = Metric.lower("e2e.p999", "E2E latency p99.9 @1000/s", "ms");
    static final Metric MANY_CREATE = Metric.lower("many.create", "Create 1,000-partition topic", "s");
    static final Metric MANY_PRODUCE = Metric.higher("many.mbps", "Produce to 1,000 partitions (acks=1)", "MB/s");
    static final Metric MANY_CPU = Metric.lower("many.cpu", "Broker CPU per GB, 1,000 partitions", "CPU-s/GB");
    static final Metric PEAK_RSS = Metric.lower("rss", "Broker peak RSS", "MB");
    static final Metric CLEAN = Metric.higher("clean.mbps", "Log cleaner throughput (dirty MB/s)", "MB/s");
    static final Metric CLEAN_CPU = Metric.lower("clean.cpu", "Broker CPU per GB cleaned", "CPU-s/GB");
    /** log.cleaner.backoff.ms of both brokers: an idle cleaner looks for work this often. */
    static final long CLEANER_BACKOFF_MS = 100;
    /** How long the log's size must stay put before cleaning counts as finished. */
    private static final Duration CLEANING_SETTLED = Duration.ofSeconds(3);

    /** One produce phase: its acks and compression. */
    record ProduceCase(String acks, String compression) {
        String topic() {
            return "produce-acks" + ("all".equals(acks) ? "all" : acks) + "-" + compression;
        }

        Metric throughput() {
            return Metric.higher("produce." + acks + "." + compression + ".mbps",
                    "Produce acks=" + acks + ", " + compression, "MB/s");
        }

        Metric cpu() {
            return Metric.lower("produce." + acks + "." + compression + ".cpu",
                    "Broker CPU per GB, acks=" + acks + ", " + compression, "CPU-s/GB");
        }
    }

    static final List<ProduceCase> PRODUCE_CASES = List.of(
            new ProduceCase("1", "none"), new ProduceCase("1", "lz4"),
            new ProduceCase("all", "none"), new ProduceCase("all", "lz4"));

    private final Workload workload;
    private final Path resultsDir;
    private final List<String> brokers;
    private final boolean flightRecording;
    private final ChildJvm jvm = ChildJvm.ofCurrentProcess();
    private final Results results = new Results();

    public CompareRun(Workload workload, Path resultsDir, List<String> brokers, boolean flightRecording) {
        this.workload = workload;
        this.resultsDir = resultsDir;
        this.brokers = brokers;
        this.flightRecording = flightRecording;
    }

    public static void main(String[] args) throws Exception {
        Workload workload = Workload.FULL;
        Path resultsDir = null;
        List<String> brokers = List.of(Results.KAFKA, Results.GREGOR);
        boolean flightRecording = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> workload = Workload.QUICK;
                case "--results" -> resultsDir = Path.of(args[++i]);
                case "--jfr" -> flightRecording = true;
                case "--only" -> brokers = List.of(args[++i].equalsIgnoreCase("kafka") ? Results.KAFKA : Results.GREGOR);
                default -> {
                    System.err.println("usage: gregor-bench compare [--quick] [--results DIR] [--only gregor|kafka] [--jfr]");
                    System.exit(2);
                }
            }
        }
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        if (resultsDir == null) {
            resultsDir = Path.of("gregor-bench", "target", "results", stamp + "-" + workload.name());
        }
        new CompareRun(workload, resultsDir, brokers, flightRecording).run();
    }

    void run() throws Exception {
        long begin = System.nanoTime();
        Files.createDirectories(resultsDir);
        declareMetrics();
        for (String broker : brokers) {
            measure(broker);
        }
        Report report = new Report(results, runInfo());
        report.writeTo(resultsDir);
        System.out.println();
        System.out.println(report.table());
        System.out.printf(Locale.ROOT, "%nTook %.0f s. Results in %s (results.md, results.json, ratios.svg)%n",
                (System.nanoTime() - begin) / 1e9, resultsDir.toAbsolutePath());
    }

    private void declareMetrics() {
        results.declare(ACCEPT);
        results.declare(STARTUP);
        for (ProduceCase c : PRODUCE_CASES) {
            results.declare(c.throughput());
            results.declare(c.cpu());
        }
        List.of(CONSUME, CONSUME_CPU, E2E_P50, E2E_P99, E2E_P999, E2E_TOOL_AVG, E2E_TOOL_P99,
                MANY_CREATE, MANY_PRODUCE, MANY_CPU, CLEAN, CLEAN_CPU, PEAK_RSS).forEach(results::declare);
    }

    private void measure(String name) throws IOException, InterruptedException {
        Path workDir = Files.createTempDirectory("gregor-bench-" + name.toLowerCase(Locale.ROOT) + "-");
        Path logs = resultsDir.resolve(name.toLowerCase(Locale.ROOT));
        BrokerUnderTest broker = Results.KAFKA.equals(name) ? new KafkaBroker(jvm, workDir) : new GregorServer(jvm, workDir);
        if (flightRecording) {
            Files.createDirectories(logs);
            broker.extraJvmOptions(List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + logs.toAbsolutePath().resolve("broker.jfr")));
        }
        try (broker) {
            progress(name, "starting");
            try {
                broker.start();
            } catch (IOException e) {
                results.failed(name, "start", e);
                return;
            }
            results.record(name, ACCEPT, broker.acceptMillis());
            results.record(name, STARTUP, broker.startupMillis());
            progress(name, "answered ApiVersions after " + broker.startupMillis() + " ms");
            try (Admin admin = admin(broker)) {
                phase(name, "warm-up (not measured)", () -> warmUp(broker, admin, logs));
                for (ProduceCase c : PRODUCE_CASES) {
                    phase(name, "produce " + c.topic(), () -> produce(broker, admin, logs, c));
                }
                phase(name, "consume", () -> consume(broker, logs));
                phase(name, "latency probe", () -> latencyProbe(broker, admin, logs));
                phase(name, "1,000 partitions", () -> manyPartitions(broker, admin, logs));
                phase(name, "compaction", () -> compaction(broker, admin, logs));
                // last: its offset commit makes Kafka create __consumer_offsets (50 partitions)
                phase(name, "EndToEndLatency", () -> endToEndLatency(broker, admin, logs));
            }
            results.record(name, PEAK_RSS, broker.peakRssBytes() / 1e6);
        } finally {
            copyQuietly(broker.brokerLog(), logs.resolve("broker.log"));
            copyQuietly(workDir.resolve("server.log"), logs.resolve("server.log"));
            BrokerUnderTest.deleteRecursively(workDir);
        }
    }

    /** A phase that may fail on one broker without stopping the run. */
    private interface Phase {
        void run() throws Exception;
    }

    private void phase(String broker, String phase, Phase body) {
        progress(broker, phase);
        try {
            body.run();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            System.out.printf("  %s: %s failed: %s%n", broker, phase, e.getMessage());
            results.failed(broker, phase, e);
        }
    }

    /**
     * Runs {@link #WARM_UP_ROUNDS} rounds of: create a topic, produce to it, read it in a group of
     * its own, before anything is measured, so that the figures are of the broker's compiled
     * produce and fetch paths rather than of its JIT at work. One round is not enough, profiled
     * on Gregor: the JIT compiles the produce path during the first round, and then throws that
     * code away in the first measured phase (a new topic's empty segment and index, and a
     * consumer group's offset commits, take branches the compiled code had never seen) and
     * compiles it again, which was two thirds of the broker's CPU in that phase. A consumer reads
     * about 3 MB per fetch, so each round reads as many records as it wrote to make enough
     * fetches to compile the fetch path. The first round produces as the first measured phase
     * does (acks=1, no compression), the second as the last (acks=all, lz4), so that the paths
     * of the acks and codecs measured are compiled too: with both rounds at acks=1 and none, a
     * quarter of Gregor's CPU and a sixth of Kafka's in the acks=all phase was their JIT compiler
     * (2026-12-08). Start-up is measured before this, cold.
     */
    private void warmUp(BrokerUnderTest broker, Admin admin, Path logs) throws Exception {
        for (int round = 1; round <= WARM_UP_ROUNDS; round++) {
            String topic = "warm-up-" + round;
            ProduceCase settings = round == 1 ? PRODUCE_CASES.get(0) : PRODUCE_CASES.get(PRODUCE_CASES.size() - 1);
            createTopic(admin, topic, Workload.PARTITIONS);
            producerPerformance(broker, logs.resolve(topic + "-produce.log"), topic, workload.warmUpRecords(),
                    settings.acks(), settings.compression());
            consumerPerformance(broker, logs.resolve(topic + "-consume.log"), topic, workload.warmUpRecords());
        }
    }

    private void produce(BrokerUnderTest broker, Admin admin, Path logs, ProduceCase c) throws Exception {
        createTopic(admin, c.topic(), Workload.PARTITIONS);
        ProducerRun run = producerPerformance(broker, logs.resolve(c.topic() + ".log"), c.topic(),
                workload.produceRecords(), c.acks(), c.compression());
        results.record(broker.name(), c.throughput(), run.megabytesPerSecond);
        results.recordCpu(broker.name(), c.cpu(), run.cpuSecondsPerGigabyte, run.cpu);
    }

    private void consume(BrokerUnderTest broker, Path logs) throws Exception {
        String topic = PRODUCE_CASES.get(0).topic();
        ProcStats.CpuTime cpuBefore = broker.cpu();
        String out = consumerPerformance(broker, logs.resolve("consume.log"), topic, workload.produceRecords());
        ProcStats.CpuTime cpu = broker.cpu().since(cpuBefore);
        String[] fields = lastMatch(CONSUMER_SUMMARY, out).group(1).split(",\\s*");
        long records = Long.parseLong(fields[4].trim());
        results.record(broker.name(), CONSUME, Double.parseDouble(fields[8].trim()));
        results.recordCpu(broker.name(), CONSUME_CPU, cpu.total() / (records * (double) Workload.RECORD_SIZE / 1e9),
                cpu);
    }

    /**
     * Kafka's ConsumerPerformance, subscribed in a group of its own. Its figures, one line:
     * start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
     * rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec.
     */
    private String consumerPerformance(BrokerUnderTest broker, Path log, String topic, long records) throws Exception {
        return jvm.run(ChildJvm.TOOL_JVM_OPTIONS, "org.apache.kafka.tools.ConsumerPerformance",
                List.of("--bootstrap-server", broker.bootstrap(), "--topic", topic, "--messages", Long.toString(records),
                        "--group", "bench-" + topic, "--timeout", "300000"),
                log, TOOL_TIMEOUT);
    }

    private void latencyProbe(BrokerUnderTest broker, Admin admin, Path logs) throws Exception {
        createTopic(admin, "latency-probe", 1);
        String out = jvm.run(ChildJvm.TOOL_JVM_OPTIONS, LatencyProbe.class.getName(),
                List.of(broker.bootstrap(), "latency-probe", Integer.toString(Workload.LATENCY_RATE),
                        Integer.toString(workload.latencyWarmUpSeconds()),
                        Integer.toString(workload.latencyProbeSeconds()), Integer.toString(Workload.RECORD_SIZE)),
                logs.resolve("latency-probe.log"), TOOL_TIMEOUT);
        MatchResult m = lastMatch(PROBE_SUMMARY, out);
        results.record(broker.name(), E2E_P50, Double.parseDouble(m.group(1)));
        results.record(broker.name(), E2E_P99, Double.parseDouble(m.group(2)));
        results.record(broker.name(), E2E_P999, Double.parseDouble(m.group(3)));
    }

    private void endToEndLatency(BrokerUnderTest broker, Admin admin, Path logs) throws Exception {
        createTopic(admin, "end-to-end", 1);
        // The tool commits its consumer's offsets after printing its figures; without a group
        // coordinator (Gregor today) that last step fails, and the figures still stand.
        ChildJvm.Outcome outcome = jvm.runToEnd(ChildJvm.TOOL_JVM_OPTIONS, "org.apache.kafka.tools.EndToEndLatency",
                List.of(broker.bootstrap(), "end-to-end", Integer.toString(workload.endToEndRoundTrips()), "1",
                        Integer.toString(Workload.RECORD_SIZE)),
                logs.resolve("end-to-end-latency.log"), TOOL_TIMEOUT);
        String out = outcome.output();
        results.record(broker.name(), E2E_TOOL_AVG, Double.parseDouble(lastMatch(E2E_AVERAGE, out).group(1)));
        results.record(broker.name(), E2E_TOOL_P99, Double.parseDouble(lastMatch(E2E_PERCENTILES, out).group(2)));
    }

    private void manyPartitions(BrokerUnderTest broker, Admin admin, Path logs) throws Exception {
        long begin = System.nanoTime();
        createTopic(admin, "many-partitions", Workload.MANY_PARTITIONS);
        results.record(broker.name(), MANY_CREATE, (System.nanoTime() - begin) / 1e9);
        ProducerRun run = producerPerformance(broker, logs.resolve("many-partitions.log"), "many-partitions",
                workload.manyPartitionRecords(), "1", "none");
        results.record(broker.name(), MANY_PRODUCE, run.megabytesPerSecond);
        results.recordCpu(broker.name(), MANY_CPU, run.cpuSecondsPerGigabyte, run.cpu);
    }

    /**
     * Cleaning throughput: a partition filled with keyed records under cleanup.policy=delete
     * (so nothing is cleaned while it fills) is switched to compact, and the clock runs from
     * that switch until the partition's segment files stop shrinking. The dirty bytes are all
     * of the log but its active segment, which neither cleaner touches; both read from the
     * partition's directory, whose layout ({@code <base offset>.log}) the two brokers share.
     */
    private void compaction(BrokerUnderTest broker, Admin admin, Path logs) throws Exception {
        String topic = "compaction";
        createTopic(admin, topic, 1, Map.of("cleanup.policy", "delete",
                "segment.bytes", Integer.toString(workload.compactionSegmentBytes())));
        jvm.run(ChildJvm.TOOL_JVM_OPTIONS, KeyedLoad.class.getName(),
                List.of(broker.bootstrap(), topic, Long.toString(workload.compactionRecords()),
                        Integer.toString(workload.compactionKeys()), Integer.toString(Workload.RECORD_SIZE)),
                logs.resolve("compaction-load.log"), TOOL_TIMEOUT);
        Path partitionDir = broker.dataDir().resolve(topic + "-0");
        List<Long> segments = segmentSizes(partitionDir);
        long dirtyBytes = segments.stream().mapToLong(Long::longValue).sum() - segments.get(segments.size() - 1);

        ProcStats.CpuTime cpuBefore = broker.cpu();
        long begin = System.nanoTime();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SET)))).all().get(1, TimeUnit.MINUTES);
        long[] last = {Long.MAX_VALUE, begin};
        Awaitility.await("the cleaner to finish compacting " + topic)
                .atMost(TOOL_TIMEOUT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    long size = segmentSizes(partitionDir).stream().mapToLong(Long::longValue).sum();
                    long now = System.nanoTime();
                    if (size != last[0]) {
                        last[0] = size;
                        last[1] = now;
                    }
                    return size < dirtyBytes / 2 && now - last[1] > CLEANING_SETTLED.toNanos();
                });
        double seconds = (last[1] - begin) / 1e9;
        ProcStats.CpuTime cpu = broker.cpu().since(cpuBefore);
        Files.writeString(logs.resolve("compaction.log"), String.format(Locale.ROOT,
                "dirty bytes %d in %d segments, cleaned to %d bytes in %.3f s%n",
                dirtyBytes, segments.size() - 1, last[0], seconds));
        results.record(broker.name(), CLEAN, dirtyBytes / 1e6 / seconds);
        results.recordCpu(broker.name(), CLEAN_CPU, cpu.total() / (dirtyBytes / 1e9), cpu);
    }

    /** Sizes of a partition's segment files ({@code *.log}, not the cleaner's or deleter's renamed files), by base offset. */
    private static List<Long> segmentSizes(Path partitionDir) throws IOException {
        try (var files = Files.list(partitionDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .map(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException gone) {
                            return 0L; // deleted between listing and reading: no longer part of the log
                        }
                    })
                    .toList();
        }
    }

    private record ProducerRun(double megabytesPerSecond, double cpuSecondsPerGigabyte, ProcStats.CpuTime cpu) {
    }

    private ProducerRun producerPerformance(BrokerUnderTest broker, Path log, String topic, long records,
                                            String acks, String compression) throws Exception {
        ProcStats.CpuTime cpuBefore = broker.cpu();
        String out = jvm.run(ChildJvm.TOOL_JVM_OPTIONS, "org.apache.kafka.tools.ProducerPerformance",
                List.of("--topic", topic, "--num-records", Long.toString(records),
                        "--record-size", Integer.toString(Workload.RECORD_SIZE), "--throughput", "-1",
                        "--producer-props", "bootstrap.servers=" + broker.bootstrap(), "acks=" + acks,
                        "compression.type=" + compression, "batch.size=" + Workload.BATCH_SIZE,
                        "linger.ms=" + Workload.LINGER_MS),
                log, TOOL_TIMEOUT);
        ProcStats.CpuTime cpu = broker.cpu().since(cpuBefore);
        MatchResult m = lastMatch(PRODUCER_SUMMARY, out);
        double gigabytes = Long.parseLong(m.group(1)) * (double) Workload.RECORD_SIZE / 1e9;
        return new ProducerRun(Double.parseDouble(m.group(3)), cpu.total() / gigabytes, cpu);
    }

    /** Creates the topic and waits until every partition has a leader. */
    private static void createTopic(Admin admin, String topic, int partitions)
            throws ExecutionException, InterruptedException, TimeoutException {
        createTopic(admin, topic, partitions, Map.of());
    }

    private static void createTopic(Admin admin, String topic, int partitions, Map<String, String> configs)
            throws ExecutionException, InterruptedException, TimeoutException {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
                .all().get(2, TimeUnit.MINUTES);
        try {
            Awaitility.await("leaders for every partition of " + topic)
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(20))
                    .ignoreException(ExecutionException.class) // metadata not yet propagated
                    .until(() -> {
                        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get()
                                .get(topic);
                        return description.partitions().size() == partitions && description.partitions().stream()
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                    });
        } catch (ConditionTimeoutException e) {
            throw new TimeoutException("partitions of " + topic + " have no leader after 2 minutes");
        }
    }

    private static Admin admin(BrokerUnderTest broker) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        return Admin.create(props);
    }

    private static MatchResult lastMatch(Pattern pattern, String output) throws IOException {
        MatchResult last = null;
        Matcher m = pattern.matcher(output);
        while (m.find()) {
            last = m.toMatchResult();
        }
        if (last == null) {
            throw new IOException("no line matching /" + pattern + "/ in the tool's output");
        }
        return last;
    }

    private Report.RunInfo runInfo() {
        return new Report.RunInfo(
                DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
                workload.name(), Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void progress(String broker, String what) {
        System.out.printf(Locale.ROOT, "%tT %s: %s%n", System.currentTimeMillis(), broker, what);
    }

    private static void copyQuietly(Path from, Path to) {
        try {
            if (Files.exists(from)) {
                Files.createDirectories(to.getParent());
                Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.out.printf("  could not keep %s: %s%n", from, e.getMessage());
        }
    }
}
