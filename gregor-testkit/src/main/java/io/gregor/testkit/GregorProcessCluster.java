package io.gregor.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A cluster of {@link GregorProcess} nodes for one test class: started before its first test and
 * killed (SIGKILL, nothing of it is kept) after its last, with its data in a temporary directory
 * this extension makes and deletes. Register it as a static field:
 * <pre>{@code
 * @RegisterExtension
 * static final GregorProcessCluster cluster =
 *         GregorProcessCluster.of(dir -> GregorProcess.cluster(dir, 3, Map.of(...)));
 * }</pre>
 * Why it exists: every class that kills, pauses or restarts nodes needs its cluster in separate
 * processes, and each had the same start, stop and "wait until every broker is registered" code.
 * Here that code is written once; a test class states only its layout (one of the
 * {@code GregorProcess.cluster} factories) and keeps the node handles it kills and restarts.
 * The cluster is up before the class's {@code @BeforeAll} methods run (they may create topics on
 * it), and is stopped after its {@code @AfterAll} methods.
 */
public final class GregorProcessCluster implements BeforeAllCallback, AfterAllCallback {
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(60);

    private final Function<Path, List<GregorProcess>> layout;
    private Path baseDir;
    private List<GregorProcess> nodes = List.of();

    private GregorProcessCluster(Function<Path, List<GregorProcess>> layout) {
        this.layout = layout;
    }

    /**
     * A cluster of the nodes {@code layout} makes in the directory it is given, node {@code i + 1}
     * at index {@code i}.
     */
    public static GregorProcessCluster of(Function<Path, List<GregorProcess>> layout) {
        return new GregorProcessCluster(layout);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        baseDir = Files.createTempDirectory("gregor-cluster-");
        nodes = layout.apply(baseDir);
        nodes.forEach(GregorProcess::start);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        nodes.forEach(GregorProcess::close);
        if (baseDir != null) {
            try (Stream<Path> files = Files.walk(baseDir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /** Every node, node {@code i + 1} at index {@code i}. */
    public List<GregorProcess> nodes() {
        return nodes;
    }

    public GregorProcess node(int id) {
        return nodes.get(id - 1);
    }

    /** The ids of the nodes with the broker role: those clients see in Metadata. */
    public Set<Integer> brokerIds() {
        return brokers().map(node -> Integer.parseInt(node.setting("node.id").orElseThrow()))
                .collect(Collectors.toSet());
    }

    /** Every broker's address, for bootstrap.servers (controller-only nodes serve no clients). */
    public String bootstrapServers() {
        return brokers().map(GregorProcess::bootstrapServers).collect(Collectors.joining(","));
    }

    /**
     * Waits until {@code admin} (a client of this cluster) sees exactly {@link #brokerIds()} as the
     * cluster's brokers: every broker registered with the active controller and none fenced.
     */
    public void awaitBrokersRegistered(Admin admin) {
        Set<Integer> brokers = brokerIds();
        Awaitility.await("brokers " + brokers + " registered").atMost(REGISTRATION_TIMEOUT).ignoreExceptions()
                .until(() -> admin.describeCluster().nodes().get().stream().map(Node::id)
                        .collect(Collectors.toSet()).equals(brokers));
    }

    private Stream<GregorProcess> brokers() {
        return nodes.stream().filter(node -> node.setting("process.roles").orElseThrow().contains("broker"));
    }
}
