package io.gregor.server.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * A reassignment plan in the JSON format of {@code kafka-reassign-partitions.sh}:
 * {@code {"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2,3],"log_dirs":["any","any","any"]}]}},
 * and the list of topics to move that {@code --generate} takes: {@code {"version":1,"topics":[{"topic":"t"}]}}.
 * Parsing checks the shape and what needs no cluster to check (a partition named twice, a broker
 * named twice in one partition, log_dirs that do not match the replicas); the cluster checks the rest.
 *
 * @param partitions the target replicas of each partition, in file order
 */
record ReassignmentPlan(Map<TopicPartition, List<Integer>> partitions) {
    /** The log directory that lets the broker choose; the only one Gregor accepts (it has one per broker). */
    static final String ANY_LOG_DIR = "any";

    ReassignmentPlan {
        partitions = Collections.unmodifiableMap(new LinkedHashMap<>(partitions));
    }

    /** The file is not a plan; the message says why and where. */
    static final class InvalidPlan extends Exception {
        InvalidPlan(String message) {
            super(message);
        }
    }

    static ReassignmentPlan parse(String json) throws InvalidPlan {
        Map<String, Object> root = object(parseJson(json), "the plan");
        checkVersion(root);
        Map<TopicPartition, List<Integer>> partitions = new LinkedHashMap<>();
        List<Object> entries = array(root.get("partitions"), "\"partitions\"");
        for (int i = 0; i < entries.size(); i++) {
            String where = "partitions[" + i + "]";
            Map<String, Object> entry = object(entries.get(i), where);
            String topic = string(entry.get("topic"), where + ".topic");
            int partition = integer(entry.get("partition"), where + ".partition");
            List<Integer> replicas = new ArrayList<>();
            for (Object replica : array(entry.get("replicas"), where + ".replicas")) {
                replicas.add(integer(replica, where + ".replicas"));
            }
            TopicPartition tp = new TopicPartition(topic, partition);
            if (replicas.isEmpty()) {
                throw new InvalidPlan(where + " (" + tp + ") has no replicas");
            }
            if (new HashSet<>(replicas).size() != replicas.size()) {
                throw new InvalidPlan(where + " (" + tp + ") names a broker twice: " + replicas);
            }
            if (entry.containsKey("log_dirs")) {
                checkLogDirs(array(entry.get("log_dirs"), where + ".log_dirs"), replicas.size(), where, tp);
            }
            if (partitions.put(tp, List.copyOf(replicas)) != null) {
                throw new InvalidPlan(where + ": partition " + tp + " appears more than once");
            }
        }
        if (partitions.isEmpty()) {
            throw new InvalidPlan("the plan has no partitions");
        }
        return new ReassignmentPlan(partitions);
    }

    /** The topics of a {@code --topics-to-move-json-file}, in file order, each once. */
    static List<String> parseTopicsToMove(String json) throws InvalidPlan {
        Map<String, Object> root = object(parseJson(json), "the file");
        checkVersion(root);
        Set<String> topics = new LinkedHashSet<>();
        List<Object> entries = array(root.get("topics"), "\"topics\"");
        for (int i = 0; i < entries.size(); i++) {
            topics.add(string(object(entries.get(i), "topics[" + i + "]").get("topic"), "topics[" + i + "].topic"));
        }
        if (topics.isEmpty()) {
            throw new InvalidPlan("no topics to move");
        }
        return List.copyOf(topics);
    }

    Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>();
        partitions.keySet().forEach(tp -> topics.add(tp.topic()));
        return topics;
    }

    /** The plan as one line of JSON, partitions sorted by topic and partition, as Kafka's tool prints it. */
    String toJson() {
        List<Object> entries = new ArrayList<>();
        partitions.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(TopicPartition::topic)
                        .thenComparingInt(TopicPartition::partition)))
                .forEach(e -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("topic", e.getKey().topic());
                    entry.put("partition", e.getKey().partition());
                    entry.put("replicas", e.getValue());
                    entry.put("log_dirs", Collections.nCopies(e.getValue().size(), ANY_LOG_DIR));
                    entries.add(entry);
                });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("partitions", entries);
        return Json.writeCompact(root);
    }

    private static Object parseJson(String json) throws InvalidPlan {
        try {
            return JsonReader.read(json);
        } catch (JsonReader.Malformed e) {
            throw new InvalidPlan("not JSON: " + e.getMessage());
        }
    }

    private static void checkVersion(Map<String, Object> root) throws InvalidPlan {
        Object version = root.get("version");
        if (version != null && !(version instanceof BigDecimal number && number.compareTo(BigDecimal.ONE) == 0)) {
            throw new InvalidPlan("unsupported \"version\" " + version + " (only 1 exists)");
        }
    }

    private static void checkLogDirs(List<Object> logDirs, int replicas, String where, TopicPartition tp)
            throws InvalidPlan {
        if (logDirs.size() != replicas) {
            throw new InvalidPlan(where + " (" + tp + ") has " + logDirs.size() + " log_dirs for " + replicas
                    + " replicas");
        }
        for (Object logDir : logDirs) {
            if (!ANY_LOG_DIR.equals(string(logDir, where + ".log_dirs"))) {
                throw new InvalidPlan(where + " (" + tp + ") names log directory " + logDir
                        + ": Gregor places replicas itself, only \"any\" is accepted");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) throws InvalidPlan {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new InvalidPlan(what + " must be a JSON object" + (value == null ? "" : ", not " + value));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> array(Object value, String what) throws InvalidPlan {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new InvalidPlan(what + (value == null ? " is missing" : " must be an array, not " + value));
    }

    private static String string(Object value, String what) throws InvalidPlan {
        if (value instanceof String text && !text.isEmpty()) {
            return text;
        }
        throw new InvalidPlan(what + (value == null ? " is missing" : " must be a non-empty string, not " + value));
    }

    private static int integer(Object value, String what) throws InvalidPlan {
        if (value instanceof BigDecimal number) {
            try {
                int n = number.intValueExact();
                if (n >= 0) {
                    return n;
                }
            } catch (ArithmeticException e) {
                // falls through to the refusal
            }
        }
        throw new InvalidPlan(what + (value == null ? " is missing" : " must be a whole number >= 0, not " + value));
    }
}
