package io.gregor.server.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gregor produce TOPIC}: one record per input line. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Send one record per line of standard input (or of --file) to a topic.",
                "Prints how many records the cluster acknowledged."},
        footer = {"", "Examples:",
                "  echo 'hello' | gregor produce greetings",
                "  printf 'alice:hi\\nbob:yo\\n' | gregor produce greetings --key-separator :",
                "  gregor produce orders --file orders.txt --compression zstd --acks all --header source=import"})
final class ProduceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "TOPIC", description = "Topic to write to.")
    String topic;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read lines from FILE instead of stdin.")
    Path file;

    @Option(names = {"-k", "--key-separator"}, paramLabel = "SEP",
            description = "Each line is KEY<SEP>VALUE; without this option lines are values with no key.")
    String keySeparator;

    @Option(names = {"-H", "--header"}, paramLabel = "KEY=VALUE", description = "A header on every record; repeatable.")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = {"-p", "--partition"}, paramLabel = "N",
            description = "Write every record to this partition (default: by key, or spread when no key).")
    Integer partition;

    @Option(names = "--compression", paramLabel = "TYPE", defaultValue = "none",
            description = "none, gzip, snappy, lz4 or zstd (default: ${DEFAULT-VALUE}).")
    Compression compression;

    @Option(names = "--acks", paramLabel = "ACKS", defaultValue = "all",
            description = "0 (no wait), 1 (leader) or all (in-sync replicas) (default: ${DEFAULT-VALUE}).")
    String acks;

    enum Compression { NONE, GZIP, SNAPPY, LZ4, ZSTD }

    @Override
    public Integer call() throws Exception {
        if (!List.of("0", "1", "all", "-1").contains(acks)) {
            throw new UsageException("Invalid --acks '" + acks + "': use 0, 1 or all");
        }
        if (partition != null && partition < 0) {
            throw new UsageException("Invalid --partition " + partition + ": partitions are numbered from 0");
        }
        if (keySeparator != null && keySeparator.isEmpty()) {
            throw new UsageException("Invalid --key-separator: it must not be empty");
        }
        Properties extra = new Properties();
        extra.put(ProducerConfig.ACKS_CONFIG, acks);
        extra.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression.name().toLowerCase(java.util.Locale.ROOT));
        List<Header> recordHeaders = new ArrayList<>();
        headers.forEach((k, v) -> recordHeaders.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));

        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long sent = 0;
        Terminal.Progress progress = file != null ? Terminal.Progress.forTerminal() : new Terminal.Progress(false);
        try (BufferedReader reader = open(); KafkaProducer<byte[], byte[]> producer = Clients.producer(client, verbose(), extra)) {
            if (file == null && Terminal.isInteractive()) {
                err().println("Type one record per line; Ctrl-D sends them and finishes.");
            }
            String line;
            long lineNumber = 0;
            while ((line = reader.readLine()) != null && firstFailure.get() == null) {
                lineNumber++;
                ProducerRecord<byte[], byte[]> record = toRecord(line, lineNumber, recordHeaders);
                producer.send(record, (metadata, exception) -> {
                    if (exception == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        firstFailure.compareAndSet(null, exception);
                    }
                });
                sent++;
                progress.update("Sent " + sent + ", acknowledged " + acknowledged.get());
            }
            producer.flush();
        } finally {
            progress.clear();
        }
        if (firstFailure.get() instanceof TimeoutException timeout && acknowledged.get() == 0
                && String.valueOf(timeout.getMessage()).contains("not present in metadata")) {
            throw new CliException("Topic " + topic + " does not exist and the broker did not create it; "
                    + "create it with 'gregor topic create " + topic + "'");
        }
        if (firstFailure.get() != null) {
            throw new CliException("Produced " + acknowledged.get() + " of " + sent + " records to " + topic
                    + ", then failed: " + ErrorReporter.message(firstFailure.get()));
        }
        out().println("Produced " + acknowledged.get() + " record" + (acknowledged.get() == 1 ? "" : "s") + " to " + topic
                + (acks.equals("0") ? " (acks=0: sent, not confirmed)" : ""));
        return ExitCode.OK;
    }

    private ProducerRecord<byte[], byte[]> toRecord(String line, long lineNumber, List<Header> recordHeaders) {
        byte[] key = null;
        String value = line;
        if (keySeparator != null) {
            int at = line.indexOf(keySeparator);
            if (at < 0) {
                throw new UsageException("Line " + lineNumber + " has no key separator '" + keySeparator
                        + "'; write KEY" + keySeparator + "VALUE or drop --key-separator");
            }
            key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
            value = line.substring(at + keySeparator.length());
        }
        return new ProducerRecord<>(topic, partition, null, key, value.getBytes(StandardCharsets.UTF_8), recordHeaders);
    }

    private BufferedReader open() throws IOException {
        if (file == null) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("File " + file + " does not exist");
        }
    }
}
