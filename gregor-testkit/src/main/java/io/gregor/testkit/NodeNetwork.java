package io.gregor.testkit;

import java.util.List;

/**
 * Where a {@link GregorProcess} lives on the network: the address its listeners bind to, and the
 * command its JVM is launched through (empty, or e.g. {@code ip netns exec <namespace>}).
 */
public record NodeNetwork(String host, List<String> launchPrefix) {
    public static final NodeNetwork LOOPBACK = new NodeNetwork("127.0.0.1", List.of());
}
