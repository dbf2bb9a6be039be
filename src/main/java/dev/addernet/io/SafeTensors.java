package dev.addernet.io;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A safetensors file held in memory, and a {@link Writer} to produce one.
 *
 * <p>The format: an 8-byte little-endian unsigned header length N; N bytes of UTF-8 JSON mapping each
 * tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}, with offsets relative to the
 * data section that follows the header, plus an optional {@code "__metadata__"} map of strings; then the
 * little-endian tensor data. {@link #read} checks everything the format promises (types, shapes, offsets,
 * a data section covered exactly once), so code that uses a tensor can trust its shape.
 */
public final class SafeTensors {

    /** Larger headers mean a corrupt or foreign file; the reference implementation has the same limit. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA = "__metadata__";
    private static final int LENGTH_BYTES = 8;

    // Duplicate names would otherwise silently keep the last entry.
    private static final ObjectReader HEADER_READER = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private record Tensor(DType dtype, int[] shape, int count, ByteBuffer data) {}

    private final Path file;
    private final Map<String, String> metadata;
    private final Map<String, Tensor> tensors;

    private SafeTensors(Path file, Map<String, String> metadata, Map<String, Tensor> tensors) {
        this.file = file;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = tensors;
    }

    /** Reads and validates the whole of {@code file}; a {@link FormatException} says what is wrong where. */
    public static SafeTensors read(Path file) throws IOException {
        long size = Files.size(file);
        // Java arrays and buffers are indexed by int.
        if (size > Integer.MAX_VALUE - 16) {
            throw new FormatException(file, "file is " + size + " bytes; files over 2 GiB are not supported");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (OutOfMemoryError e) {
            throw new IOException(HeapLimit.message(file, "reading the whole file", size));
        }
        return parse(file, bytes);
    }

    /** The {@code __metadata__} strings, in header order; empty if the file has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor names in header order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** The shape of tensor {@code name}; {@code []} for a scalar. */
    public int[] shape(String name) {
        return tensor(name).shape.clone();
    }

    /** The safetensors dtype of tensor {@code name}, e.g. {@code "F32"}. */
    public String dtype(String name) {
        return tensor(name).dtype.name();
    }

    /** The elements of tensor {@code name} in row-major order, each rounded once to float. */
    public float[] floats(String name) {
        Tensor t = tensor(name);
        float[] values = new float[t.count];
        if (t.dtype == DType.F32) {
            t.data.asFloatBuffer().get(values);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = t.dtype.toFloat(t.data, i);
            }
        }
        return values;
    }

    /** The elements of tensor {@code name} as doubles: exact except for 64-bit integers beyond 2^53. */
    public double[] doubles(String name) {
        Tensor t = tensor(name);
        double[] values = new double[t.count];
        if (t.dtype == DType.F64) {
            t.data.asDoubleBuffer().get(values);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = t.dtype.toDouble(t.data, i);
            }
        }
        return values;
    }

    /** The elements of integer (or BOOL) tensor {@code name}. */
    public long[] longs(String name) {
        Tensor t = tensor(name);
        if (!t.dtype.isInteger()) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' has dtype " + t.dtype
                    + ", not an integer dtype");
        }
        long[] values = new long[t.count];
        for (int i = 0; i < values.length; i++) {
            values[i] = t.dtype.toLong(t.data, i);
            if (t.dtype == DType.U64 && values[i] < 0) {
                throw new ArithmeticException(file + ": tensor '" + name + "': U64 value "
                        + Long.toUnsignedString(values[i]) + " at index " + i + " does not fit in a long");
            }
        }
        return values;
    }

    @Override
    public String toString() {
        return "SafeTensors[" + file + ", " + tensors.size() + " tensors]";
    }

    private Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + ": no tensor '" + name + "'; it has " + tensors.keySet());
        }
        return t;
    }

    // ---- reading ----

    private static SafeTensors parse(Path file, byte[] bytes) throws IOException {
        if (bytes.length < LENGTH_BYTES) {
            throw new FormatException(file, "file is " + bytes.length
                    + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = all.getLong(0);
        // Negative means an unsigned value of 2^63 or more.
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new FormatException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " is over the limit of " + MAX_HEADER_BYTES + " bytes; the file is corrupt or not safetensors");
        }
        if (headerLength > bytes.length - LENGTH_BYTES) {
            throw new FormatException(file, "header length " + headerLength + " exceeds the "
                    + (bytes.length - LENGTH_BYTES) + " bytes that follow it");
        }
        JsonNode header;
        try {
            // Decoded here: the format says UTF-8, and Jackson would otherwise guess UTF-16 or UTF-32 from the first bytes.
            String text = UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, LENGTH_BYTES, (int) headerLength)).toString();
            header = HEADER_READER.readTree(text);
        } catch (CharacterCodingException e) {
            throw new FormatException(file, "header is not valid JSON: it is not UTF-8 text, expected a UTF-8 JSON object", e);
        } catch (JsonProcessingException e) {
            throw new FormatException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new FormatException(file, "header must be a JSON object, found " + kind(header));
        }

        int dataStart = LENGTH_BYTES + (int) headerLength;
        int dataLength = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, long[]> offsets = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : header.properties()) {
            String name = field.getKey();
            if (name.equals(METADATA)) {
                readMetadata(file, field.getValue(), metadata);
                continue;
            }
            Entry entry = readEntry(file, name, field.getValue(), dataLength);
            offsets.put(name, new long[] {entry.begin, entry.end});
            ByteBuffer data = all.slice(dataStart + (int) entry.begin, (int) (entry.end - entry.begin))
                    .order(ByteOrder.LITTLE_ENDIAN); // slice() resets the byte order
            tensors.put(name, new Tensor(entry.dtype, entry.shape, (int) entry.count, data));
        }
        checkCoverage(file, offsets, dataLength);
        return new SafeTensors(file, metadata, tensors);
    }

    private record Entry(DType dtype, int[] shape, long count, long begin, long end) {}

    private static Entry readEntry(Path file, String name, JsonNode node, int dataLength) throws FormatException {
        String where = "tensor '" + name + "': ";
        if (!node.isObject()) {
            throw new FormatException(file, where + "expected an object with dtype, shape and data_offsets, found "
                    + kind(node));
        }
        JsonNode dtypeNode = required(file, where, node, "dtype");
        if (!dtypeNode.isTextual()) {
            throw new FormatException(file, where + "dtype must be a string, found " + kind(dtypeNode));
        }
        DType dtype = DType.parse(dtypeNode.textValue());
        if (dtype == null) {
            throw new FormatException(file, where + "unknown dtype '" + dtypeNode.textValue() + "', expected one of "
                    + Arrays.toString(DType.values()));
        }

        JsonNode shapeNode = required(file, where, node, "shape");
        long[] dims = integers(file, where, "shape", shapeNode);
        int[] shape = new int[dims.length];
        long bytes = dtype.size;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new FormatException(file, where + "shape " + shapeNode + ": dimension " + i
                        + " is negative (" + dims[i] + ")");
            }
            if (dims[i] > Integer.MAX_VALUE) {
                throw new FormatException(file, where + "shape " + shapeNode + ": dimension " + i
                        + " is " + dims[i] + ", over the limit of " + Integer.MAX_VALUE);
            }
            shape[i] = (int) dims[i];
            try {
                bytes = Math.multiplyExact(bytes, dims[i]);
            } catch (ArithmeticException e) {
                throw new FormatException(file, where + "shape " + shapeNode + " of " + dtype
                        + " has too many elements");
            }
        }

        JsonNode offsetsNode = required(file, where, node, "data_offsets");
        long[] offsets = integers(file, where, "data_offsets", offsetsNode);
        if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < 0) {
            throw new FormatException(file, where + "data_offsets " + offsetsNode
                    + ", expected [begin, end] with two non-negative integers");
        }
        long begin = offsets[0];
        long end = offsets[1];
        String range = "data_offsets [" + begin + ", " + end + "]";
        if (begin > end) {
            throw new FormatException(file, where + range + ": begin is after end");
        }
        if (end > dataLength) {
            throw new FormatException(file, where + range + " exceed the " + dataLength + "-byte data section");
        }
        if (end - begin != bytes) {
            throw new FormatException(file, where + range + " hold " + (end - begin) + " bytes, but shape "
                    + shapeNode + " of " + dtype + " needs " + bytes);
        }
        return new Entry(dtype, shape, bytes / dtype.size, begin, end);
    }

    private static JsonNode required(Path file, String where, JsonNode entry, String field) throws FormatException {
        JsonNode value = entry.get(field);
        if (value == null) {
            throw new FormatException(file, where + "missing '" + field + "'");
        }
        return value;
    }

    private static long[] integers(Path file, String where, String field, JsonNode node) throws FormatException {
        if (!node.isArray()) {
            throw new FormatException(file, where + field + " must be an array of integers, found " + kind(node));
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode item = node.get(i);
            if (!item.isIntegralNumber() || !item.canConvertToLong()) {
                throw new FormatException(file, where + field + " " + node + ": element " + i
                        + " is " + item + ", expected an integer");
            }
            values[i] = item.longValue();
        }
        return values;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> into) throws FormatException {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new FormatException(file, METADATA + " must be an object of strings, found " + kind(node));
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new FormatException(file, METADATA + " '" + field.getKey() + "': expected a string, found "
                        + kind(field.getValue()));
            }
            into.put(field.getKey(), field.getValue().textValue());
        }
    }

    // The format requires every byte of the data section to belong to exactly one tensor.
    private static void checkCoverage(Path file, Map<String, long[]> offsets, int dataLength) throws FormatException {
        List<Map.Entry<String, long[]>> byStart = new ArrayList<>(offsets.entrySet());
        // By end too, so an empty tensor sorts before a full one starting at the same byte.
        byStart.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> e.getValue()[0])
                .thenComparingLong(e -> e.getValue()[1]));
        long covered = 0;
        String previous = null;
        for (Map.Entry<String, long[]> e : byStart) {
            long begin = e.getValue()[0];
            long end = e.getValue()[1];
            if (begin < covered) {
                long[] p = offsets.get(previous);
                throw new FormatException(file, "tensor '" + e.getKey() + "': data_offsets [" + begin + ", " + end
                        + "] overlap tensor '" + previous + "' [" + p[0] + ", " + p[1] + "]");
            }
            if (begin > covered) {
                throw new FormatException(file, "data section bytes [" + covered + ", " + begin
                        + ") before tensor '" + e.getKey() + "' are not covered by any tensor");
            }
            covered = end;
            previous = e.getKey();
        }
        if (covered < dataLength) {
            String after = previous == null ? "" : "after tensor '" + previous + "' ";
            throw new FormatException(file, "data section bytes [" + covered + ", " + dataLength + ") " + after
                    + "are not covered by any tensor");
        }
    }

    private static String kind(JsonNode node) {
        return node == null || node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase();
    }

    // ---- writing ----

    /** A builder for a new safetensors file. */
    public static Writer writer() {
        return new Writer();
    }

    /**
     * Collects tensors and metadata, then writes them as one safetensors file, tensors in the order they
     * were put. The arrays are not copied, so leave them unchanged until {@link #write}.
     */
    public static final class Writer {

        @FunctionalInterface
        private interface Fill {
            /** Puts elements [from, from + count) into {@code le}, a little-endian buffer, from index 0. */
            void fill(ByteBuffer le, int from, int count);
        }

        private record Pending(DType dtype, int[] shape, int count, Fill fill) {}

        private static final int CHUNK_BYTES = 1 << 16;

        private final Map<String, Pending> tensors = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Writer() {}

        /** Adds an F32 tensor; {@code data} is row-major and has exactly product(shape) elements. */
        public Writer put(String name, int[] shape, float[] data) {
            return add(name, DType.F32, shape, data.length, (le, from, n) -> le.asFloatBuffer().put(data, from, n));
        }

        /** Adds an F64 tensor. */
        public Writer putDouble(String name, int[] shape, double[] data) {
            return add(name, DType.F64, shape, data.length, (le, from, n) -> le.asDoubleBuffer().put(data, from, n));
        }

        /** Adds an I64 tensor. */
        public Writer putLong(String name, int[] shape, long[] data) {
            return add(name, DType.I64, shape, data.length, (le, from, n) -> le.asLongBuffer().put(data, from, n));
        }

        /** Adds a {@code __metadata__} entry. */
        public Writer metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Writes the file atomically: a reader sees the old file or the complete new one. */
        public void write(Path file) throws IOException {
            ObjectNode header = Json.mapper().createObjectNode();
            if (!metadata.isEmpty()) {
                ObjectNode meta = header.putObject(METADATA);
                metadata.forEach(meta::put);
            }
            long offset = 0;
            for (Map.Entry<String, Pending> e : tensors.entrySet()) {
                Pending p = e.getValue();
                ObjectNode entry = header.putObject(e.getKey());
                entry.put("dtype", p.dtype.name());
                ArrayNode shape = entry.putArray("shape");
                Arrays.stream(p.shape).forEach(shape::add);
                long bytes = (long) p.count * p.dtype.size;
                entry.putArray("data_offsets").add(offset).add(offset + bytes);
                offset += bytes;
            }
            byte[] json = Json.toJson(header).getBytes(UTF_8);
            // Spaces up to a multiple of 8, as the reference writer does, so the data section is 8-byte aligned.
            int headerLength = (json.length + 7) / 8 * 8;
            long total = LENGTH_BYTES + headerLength + offset;
            if (total > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(file + ": would be " + total
                        + " bytes; files over 2 GiB cannot be read back");
            }
            AtomicFiles.write(file, out -> {
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                chunk.putLong(0, headerLength);
                out.write(chunk.array(), 0, LENGTH_BYTES);
                out.write(json);
                for (int i = json.length; i < headerLength; i++) {
                    out.write(' ');
                }
                for (Pending p : tensors.values()) {
                    writeData(out, chunk, p);
                }
            });
        }

        private Writer add(String name, DType dtype, int[] shape, int length, Fill fill) {
            Objects.requireNonNull(name, "name");
            if (name.equals(METADATA)) {
                throw new IllegalArgumentException("'" + METADATA + "' is reserved and cannot name a tensor");
            }
            if (tensors.containsKey(name)) {
                throw new IllegalArgumentException("tensor '" + name + "' was already put");
            }
            long count = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                            + " has a negative dimension");
                }
                count = Math.multiplyExact(count, d);
            }
            if (count != length) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                        + " holds " + count + " elements but the data has " + length);
            }
            tensors.put(name, new Pending(dtype, shape.clone(), length, fill));
            return this;
        }

        private static void writeData(OutputStream out, ByteBuffer chunk, Pending p) throws IOException {
            int perChunk = chunk.capacity() / p.dtype.size;
            for (int from = 0; from < p.count; from += perChunk) {
                int n = Math.min(perChunk, p.count - from);
                p.fill.fill(chunk.clear(), from, n);
                out.write(chunk.array(), 0, n * p.dtype.size);
            }
        }
    }
}
