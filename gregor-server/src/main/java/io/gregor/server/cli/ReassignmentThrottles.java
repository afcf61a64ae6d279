package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The throttle configs a reassignment gets with {@code --execute --throttle}, as Kafka's tool sets
 * them: for each partition whose replica set changes, its current replicas (which send the data)
 * in the topic's {@code leader.replication.throttled.replicas}, its new replicas (which fetch it)
 * in {@code follower.replication.throttled.replicas}, and the rate on every broker that holds a
 * replica before or after. Partitions whose replicas only change order move no data and are left
 * out.
 *
 * @param leaderReplicas   per topic, the value of leader.replication.throttled.replicas ("P:BROKER,...")
 * @param followerReplicas per topic, the value of follower.replication.throttled.replicas
 * @param brokers          the brokers that get the rate
 */
record ReassignmentThrottles(Map<String, String> leaderReplicas, Map<String, String> followerReplicas,
                             Set<Integer> brokers) {
    static final String LEADER_REPLICAS = "leader.replication.throttled.replicas";
    static final String FOLLOWER_REPLICAS = "follower.replication.throttled.replicas";
    static final String LEADER_RATE = "leader.replication.throttled.rate";
    static final String FOLLOWER_RATE = "follower.replication.throttled.rate";

    static ReassignmentThrottles of(Map<TopicPartition, List<Integer>> current, ReassignmentPlan plan) {
        Map<String, List<String>> leaders = new TreeMap<>();
        Map<String, List<String>> followers = new TreeMap<>();
        Set<Integer> brokers = new TreeSet<>();
        plan.partitions().forEach((tp, target) -> {
            List<Integer> now = current.get(tp);
            if (now == null || new HashSet<>(now).equals(new HashSet<>(target))) {
                return;
            }
            now.forEach(broker -> leaders.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                    .add(tp.partition() + ":" + broker));
            target.stream().filter(broker -> !now.contains(broker)).forEach(broker -> followers
                    .computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition() + ":" + broker));
            brokers.addAll(now);
            brokers.addAll(target);
        });
        Map<String, String> leaderValues = new TreeMap<>();
        leaders.forEach((topic, items) -> leaderValues.put(topic, String.join(",", items)));
        Map<String, String> followerValues = new TreeMap<>();
        followers.forEach((topic, items) -> followerValues.put(topic, String.join(",", items)));
        return new ReassignmentThrottles(leaderValues, followerValues, brokers);
    }

    boolean isEmpty() {
        return brokers.isEmpty();
    }
}
