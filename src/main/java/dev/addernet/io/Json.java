package dev.addernet.io;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The project's one JSON configuration, so configs, metrics and file headers are all read and written
 * the same way. Records serialize by their components.
 *
 * <p>Non-finite doubles: JSON has no NaN or Infinity, yet a diverged loss must not crash the run that
 * logs it. They are written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"},
 * which keeps every file valid JSON and reads back into {@code double} fields unchanged. The bare
 * {@code NaN} tokens that Python's json module writes are accepted when reading.
 *
 * <p>Unknown properties are an error when reading into a class, so a typo in a config file is reported
 * rather than silently ignored.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS) // Jackson's default; stated because we rely on it
            .build();

    private static final ObjectWriter COMPACT = MAPPER.writer(), PRETTY = MAPPER.writer(prettyPrinter());

    /** Configurations (a run's {@code config.json}) name their records' fields in snake_case, as every other file. */
    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    private static final ObjectMapper CONFIG_MAPPER = MAPPER.copy().setPropertyNamingStrategy(SNAKE_CASE);
    private static final ObjectWriter CONFIG_COMPACT = CONFIG_MAPPER.writer(), CONFIG_PRETTY = CONFIG_MAPPER.writer(prettyPrinter());

    private Json() {}

    /** The shared mapper. Do not reconfigure it; use {@code mapper().copy()} for a variant. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code value} as compact JSON on one line, as for a line of a .jsonl file. */
    public static String toJson(Object value) {
        return write(COMPACT, value);
    }

    /** The configuration {@code value} as compact JSON, records' fields in snake_case (as {@link #writeConfig}). */
    public static String toConfigJson(Object value) {
        return write(CONFIG_COMPACT, value);
    }

    /** {@code value} as indented JSON for people to read, with arrays kept on one line. */
    public static String toPrettyJson(Object value) {
        return write(PRETTY, value);
    }

    /** {@code value} written by {@code writer}; a value Jackson cannot write is a programming error, not I/O. */
    private static String write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Replaces {@code file} atomically with {@code value} as pretty JSON and a final newline. */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, toPrettyJson(value) + "\n");
    }

    /** Replaces {@code file} atomically with the configuration {@code value}: pretty JSON, records' fields in snake_case. */
    public static void writeConfig(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, CONFIG_PRETTY.writeValueAsString(value) + "\n");
    }

    /**
     * A configuration written by {@link #writeConfig} read back into a {@code type}. Folders written before the
     * keys were snake_case name them in camelCase ({@code weightDecay}); those keys are read as their
     * snake_case twins ({@code weight_decay}), so such a folder still resumes and starts new runs.
     */
    public static <T> T configValue(JsonNode config, Class<T> type) throws JsonProcessingException {
        return CONFIG_MAPPER.treeToValue(snakeCaseKeys(config), type);
    }

    /** {@code node} with the keys of every object in it in snake_case; a key given in both styles is refused. */
    public static JsonNode snakeCaseKeys(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode out = object.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String key = SNAKE_CASE.translate(field.getKey());
                if (out.has(key)) throw new IllegalArgumentException("'" + key + "' is given twice (once as '" + field.getKey() + "')");
                out.set(key, snakeCaseKeys(field.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            var out = MAPPER.createArrayNode();
            node.forEach(e -> out.add(snakeCaseKeys(e)));
            return out;
        }
        return node;
    }

    /** Reads {@code file} into a {@code type}; a {@link FormatException} names the file and the field. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        String text = utf8(file);
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw formatError(file, e);
        }
    }

    /** Reads {@code file} as a tree of nodes; a {@link FormatException} names the file. */
    public static JsonNode readTree(Path file) throws IOException {
        String text = utf8(file);
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw formatError(file, e);
        }
        if (node == null || node.isMissingNode()) {
            throw new FormatException(file, "file is empty, expected JSON");
        }
        return node;
    }

    /**
     * The file as UTF-8 text, which JSON files are (RFC 8259); from bytes, Jackson would guess UTF-16 or
     * UTF-32 from the first ones and fail on the rest with a message that names no file.
     */
    private static String utf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(file, "not UTF-8 text, expected JSON in UTF-8");
        }
    }

    private static FormatException formatError(Path file, JsonProcessingException e) {
        StringBuilder message = new StringBuilder();
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            message.append("field '").append(fieldPath(m.getPath())).append("': ");
        }
        message.append(e.getOriginalMessage());
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            message.append(" (line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr()).append(')');
        }
        return new FormatException(file, message.toString(), e);
    }

    // Jackson's own path text names Java classes; users know the file's keys, e.g. "layers[2].width".
    private static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder text = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!text.isEmpty()) {
                    text.append('.');
                }
                text.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                text.append('[').append(ref.getIndex()).append(']');
            }
        }
        return text.toString();
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        // "key": value with two-space indents and '\n' on every platform, so files diff cleanly.
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
        printer.indentObjectsWith(new DefaultIndenter("  ", "\n"));
        return printer;
    }
}
