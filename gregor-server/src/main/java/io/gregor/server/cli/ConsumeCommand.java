package io.gregor.server.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gregor consume TOPIC}: prints records. Without {@code --follow} it stops at the end
 * of each partition as it was when the command started; with it, it waits for new records until
 * Ctrl-C (which still commits the group's offsets, through a shutdown hook that wakes the loop).
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {"Print the records of a topic.",
                "Reads from the earliest record to the current end unless told otherwise."},
        footer = {"", "Examples:",
                "  gregor consume greetings",
                "  gregor consume greetings --from -15m --format '{timestamp} {key} => {value}'",
                "  gregor consume orders --group billing --follow",
                "  gregor consume orders --partition 0 --from 1000 --max-messages 10 --output json"})
final class ConsumeCommand extends ClientCommand {
    private static final Duration POLL = Duration.ofMillis(200);

    @Parameters(index = "0", paramLabel = "TOPIC", description = "Topic to read.")
    String topic;

    @Option(names = "--from", paramLabel = "POSITION", defaultValue = "earliest", converter = StartPosition.Converter.class,
            description = "earliest, latest, an offset, an ISO-8601 time or a relative time such as -15m "
                    + "(default: ${DEFAULT-VALUE}). With --group: only where the group has no committed offset.")
    StartPosition from;

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP", description = "Consume as a member of this group, committing offsets.")
    String group;

    @Option(names = {"-p", "--partition"}, paramLabel = "N", split = ",",
            description = "Read only these partitions (not with --group).")
    List<Integer> partitions = new ArrayList<>();

    @Option(names = {"-n", "--max-messages"}, paramLabel = "N", description = "Stop after N records.")
    Long maxMessages;

    @Option(names = {"-F", "--follow"}, description = "Keep waiting for new records (until Ctrl-C or --max-messages).")
    boolean follow;

    @Option(names = "--format", paramLabel = "TEMPLATE", defaultValue = RecordFormat.DEFAULT_TEMPLATE,
            description = "Line template with {topic} {partition} {offset} {timestamp} {timestamp_ms} {key} {value} "
                    + "{headers} (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--binary", paramLabel = "ENCODING", defaultValue = "hex",
            description = "How to show bytes that are not UTF-8 text: hex or base64 (default: ${DEFAULT-VALUE}).")
    RecordFormat.Binary binary;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (one line per record, see --format) or json (one JSON object per line).")
    OutputFormat output;

    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        if (group != null && !partitions.isEmpty()) {
            throw new UsageException("--partition and --group cannot be combined: a group assigns partitions itself");
        }
        if (maxMessages != null && maxMessages < 1) {
            throw new UsageException("Invalid --max-messages " + maxMessages + ": must be at least 1");
        }
        RecordFormat recordFormat = RecordFormat.compile(format, binary);
        Properties extra = new Properties();
        if (group != null) {
            extra.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            extra.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        }
        extra.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, from instanceof StartPosition.Latest ? "latest" : "earliest");
        // reading must not create the topic it reads, even where the broker auto-creates topics
        extra.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");

        KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(client, verbose(), extra);
        CountDownLatch closed = new CountDownLatch(1);
        // Ctrl-C: wake the poll loop, then let the JVM exit only once offsets are committed and the
        // consumer has left its group
        Thread hook = new Thread(() -> {
            stopping = true;
            consumer.wakeup();
            awaitQuietly(closed);
        }, "gregor-consume-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return consume(consumer, recordFormat);
        } finally {
            consumer.close();
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and the JVM exits next
            }
        }
    }

    private int consume(KafkaConsumer<byte[], byte[]> consumer, RecordFormat recordFormat) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        Set<TopicPartition> assigned = new HashSet<>();
        List<TopicPartition> chosen = choosePartitions(consumer);
        if (group == null) {
            consumer.assign(chosen);
            seek(consumer, chosen);
            assigned.addAll(chosen);
            ends.putAll(consumer.endOffsets(chosen));
        } else {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    assigned.removeAll(revoked);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> newlyAssigned) {
                    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(newlyAssigned));
                    List<TopicPartition> uncommitted = newlyAssigned.stream()
                            .filter(tp -> committed.get(tp) == null).toList();
                    seek(consumer, uncommitted);
                    assigned.addAll(newlyAssigned);
                    ends.putAll(consumer.endOffsets(newlyAssigned));
                }
            });
        }

        Terminal.Progress progress = maxMessages != null && output == OutputFormat.TEXT
                ? Terminal.Progress.forTerminal() : new Terminal.Progress(false);
        long count = 0;
        boolean joined = group == null;
        // what the group commits: the next offset after each record printed, not the fetch position,
        // which may be further on when --max-messages stops in the middle of a batch
        Map<TopicPartition, OffsetAndMetadata> printed = new HashMap<>();
        try {
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                joined = joined || !assigned.isEmpty();
                progress.clear();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    out().println(output == OutputFormat.JSON
                            ? Json.writeCompact(recordFormat.toJson(record))
                            : recordFormat.format(record));
                    count++;
                    printed.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                    if (maxMessages != null && count >= maxMessages) {
                        break;
                    }
                }
                out().flush();
                if (maxMessages != null) {
                    progress.update("Consumed " + count + " of " + maxMessages);
                }
                if (maxMessages != null && count >= maxMessages) {
                    break;
                }
                if (!follow && joined && reachedEnd(consumer, assigned, ends)) {
                    break;
                }
            }
        } catch (WakeupException stoppedByCtrlC) {
            // fall through to the commit: Ctrl-C keeps what was printed
        } finally {
            if (group != null && !printed.isEmpty()) {
                consumer.commitSync(printed);
            }
            progress.clear();
        }
        if (Terminal.isInteractive()) {
            err().println("Consumed " + count + " record" + (count == 1 ? "" : "s"));
        }
        return ExitCode.OK;
    }

    private List<TopicPartition> choosePartitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new CliException("Topic " + topic + " does not exist (see 'gregor topic list')");
        }
        Set<Integer> existing = infos.stream().map(PartitionInfo::partition).collect(Collectors.toSet());
        if (partitions.isEmpty()) {
            return existing.stream().sorted().map(p -> new TopicPartition(topic, p)).toList();
        }
        for (int p : partitions) {
            if (!existing.contains(p)) {
                throw new CliException("Topic " + topic + " has no partition " + p + " (it has " + existing.size()
                        + ": 0-" + (existing.size() - 1) + ")");
            }
        }
        return partitions.stream().distinct().map(p -> new TopicPartition(topic, p)).toList();
    }

    private void seek(KafkaConsumer<byte[], byte[]> consumer, Collection<TopicPartition> targets) {
        if (targets.isEmpty()) {
            return; // seekToBeginning/seekToEnd of an empty collection would move every partition
        }
        if (from instanceof StartPosition.Earliest) {
            consumer.seekToBeginning(targets);
        } else if (from instanceof StartPosition.Latest) {
            consumer.seekToEnd(targets);
        } else if (from instanceof StartPosition.Offset o) {
            targets.forEach(tp -> consumer.seek(tp, o.offset()));
        } else if (from instanceof StartPosition.Time t) {
            Map<TopicPartition, Long> query = targets.stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> t.instant().toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            List<TopicPartition> none = new ArrayList<>();
            found.forEach((tp, ot) -> {
                if (ot == null) {
                    none.add(tp);
                } else {
                    consumer.seek(tp, ot.offset());
                }
            });
            if (!none.isEmpty()) { // an empty collection would mean "every assigned partition"
                consumer.seekToEnd(none);
            }
        }
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> assigned,
                                      Map<TopicPartition, Long> ends) {
        for (TopicPartition tp : assigned) {
            Long end = ends.get(tp);
            if (end != null && consumer.position(tp) < end) {
                return false;
            }
        }
        return true;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
