package io.gregor.server.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Renders consumed records with a template such as {@code "{key} => {value} ({partition}@{offset})"}.
 * Placeholders: {topic} {partition} {offset} {timestamp} (ISO-8601) {timestamp_ms} {key} {value}
 * {headers}; {@code \n} and {@code \t} are a newline and a tab. Keys, values and header values
 * are shown as text when they are UTF-8, else hex or base64; a null key or value as "null".
 */
final class RecordFormat {
    static final String DEFAULT_TEMPLATE = "{value}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    private static final List<String> FIELDS =
            List.of("topic", "partition", "offset", "timestamp", "timestamp_ms", "key", "value", "headers");

    enum Binary { HEX, BASE64 }

    private final List<String> literals = new ArrayList<>();
    private final List<String> fields = new ArrayList<>();
    private final Binary binary;

    private RecordFormat(String template, Binary binary) {
        this.binary = binary;
        String unescaped = template.replace("\\n", "\n").replace("\\t", "\t");
        Matcher m = PLACEHOLDER.matcher(unescaped);
        int last = 0;
        while (m.find()) {
            if (!FIELDS.contains(m.group(1))) {
                throw new UsageException("Unknown placeholder {" + m.group(1) + "} in --format; use one of "
                        + FIELDS.stream().map(f -> "{" + f + "}").collect(Collectors.joining(" ")));
            }
            literals.add(unescaped.substring(last, m.start()));
            fields.add(m.group(1));
            last = m.end();
        }
        literals.add(unescaped.substring(last));
    }

    static RecordFormat compile(String template, Binary binary) {
        return new RecordFormat(template, binary);
    }

    String format(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder out = new StringBuilder(literals.get(0));
        for (int i = 0; i < fields.size(); i++) {
            out.append(field(record, fields.get(i))).append(literals.get(i + 1));
        }
        return out.toString();
    }

    /** One record as a JSON object (JSON Lines output). */
    Map<String, Object> toJson(ConsumerRecord<byte[], byte[]> record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topic", record.topic());
        json.put("partition", record.partition());
        json.put("offset", record.offset());
        json.put("timestamp", record.timestamp());
        json.put("key", Optional.ofNullable(record.key()).map(this::bytes));
        json.put("value", Optional.ofNullable(record.value()).map(this::bytes));
        Map<String, Object> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), Optional.ofNullable(header.value()).map(this::bytes));
        }
        json.put("headers", headers);
        return json;
    }

    private String field(ConsumerRecord<byte[], byte[]> record, String field) {
        return switch (field) {
            case "topic" -> record.topic();
            case "partition" -> Integer.toString(record.partition());
            case "offset" -> Long.toString(record.offset());
            case "timestamp" -> Instant.ofEpochMilli(record.timestamp()).toString();
            case "timestamp_ms" -> Long.toString(record.timestamp());
            case "key" -> record.key() == null ? "null" : bytes(record.key());
            case "value" -> record.value() == null ? "null" : bytes(record.value());
            case "headers" -> headers(record);
            default -> throw new IllegalStateException("unchecked placeholder " + field);
        };
    }

    private String headers(ConsumerRecord<byte[], byte[]> record) {
        List<String> parts = new ArrayList<>();
        for (Header header : record.headers()) {
            parts.add(header.key() + "=" + (header.value() == null ? "null" : bytes(header.value())));
        }
        return String.join(",", parts);
    }

    String bytes(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException notText) {
            return binary == Binary.HEX
                    ? "0x" + HexFormat.of().formatHex(data)
                    : "base64:" + Base64.getEncoder().encodeToString(data);
        }
    }
}
