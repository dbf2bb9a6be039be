package dev.addernet.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.addernet.interop.Unpickler.Global;
import dev.addernet.io.FormatException;
import dev.addernet.io.HeapLimit;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a state dict saved by {@code torch.save} (a {@code .pth}/{@code .pt} file) without Python, in both
 * of torch's formats:
 * <ul>
 *   <li>legacy (before torch 1.6, and the released AdderNet checkpoints): five pickles in a row (the
 *       magic number 0x1950a86a20f9469cfc6c, the protocol version 1001, a dict of system information, the
 *       object, the list of storage keys), then each storage in that order as an 8-byte little-endian
 *       element count and the raw little-endian elements;</li>
 *   <li>zip (torch 1.6 and later): {@code <archive>/data.pkl} holds the object, and each storage is the
 *       raw entry {@code <archive>/data/<key>}.</li>
 * </ul>
 * Tensors appear in the pickle as {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
 * ...)} with the storage as a persistent id {@code ('storage', torch.FloatStorage, key, location, numel)}.
 * Only those rebuild functions, the storage types and {@code collections.OrderedDict} may be named; any
 * other global is refused, and nothing is ever executed (see {@link Unpickler}).
 */
final class TorchCheckpoint implements Unpickler.Hooks {

    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;
    private static final String ORDERED_DICT = "collections.OrderedDict";
    private static final String REBUILD_V2 = "torch._utils._rebuild_tensor_v2";
    private static final String REBUILD = "torch._utils._rebuild_tensor";
    private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
    private static final Set<String> CALLABLE = Set.of(ORDERED_DICT, REBUILD_V2, REBUILD, REBUILD_PARAMETER);

    /** A storage named by the pickle; its bytes arrive after the pickle in the legacy format. */
    private static final class Storage {
        final String key;
        final StorageType type;
        final long numel;
        ByteBuffer data;

        Storage(String key, StorageType type, long numel) {
            this.key = key;
            this.type = type;
            this.numel = numel;
        }
    }

    /** A tensor as the pickle describes it: a strided view of a storage. */
    private record TensorRef(Storage storage, long offset, long[] size, long[] stride) {}

    /**
     * How far a zip archive's entries may expand, in all, relative to the archive: torch.save stores its
     * entries uncompressed, and real weights deflate by a few percent, so more means a zip bomb.
     */
    static final int MAX_EXPANSION = 16;
    /**
     * How many elements the tensors may hold, in all, per element of the storages they view: a view with
     * stride 0 repeats one element as often as its size says, so a few bytes could ask for gigabytes. Views
     * that share a storage (tied weights) stay far below this.
     */
    static final int MAX_ELEMENTS_PER_STORED = 4;

    private final Path file;
    private final Map<String, Storage> storages = new LinkedHashMap<>();
    /** Bytes a zip archive's entries may still decompress to. */
    private long inflateBudget;
    /** Elements the dense tensors may still take. */
    private long elementBudget;

    private TorchCheckpoint(Path file) {
        this.file = file;
    }

    /** True if {@code head} (the first bytes of a file) starts a zip archive. */
    static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /** True if {@code head} starts a legacy torch file: a pickle of protocol 2 or later. */
    static boolean isLegacy(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2;
    }

    /** The state dict in {@code file}, tensors under their names in file order. */
    static StateDict read(Path file) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            head = Arrays.copyOf(head, in.readNBytes(head, 0, head.length));
        }
        TorchCheckpoint reader = new TorchCheckpoint(file);
        try {
            if (isZip(head)) {
                return new StateDict("PyTorch zip format", reader.readZip(), Map.of());
            }
            if (isLegacy(head)) {
                return new StateDict("PyTorch legacy format", reader.readLegacy(), Map.of());
            }
        } catch (OutOfMemoryError e) {
            // The sizes were checked against the file before allocating: this is a large checkpoint on a small heap.
            throw new IOException(HeapLimit.message(file, "reading the checkpoint's tensors", 8 * Files.size(file)));
        }
        throw new FormatException(file, "not a PyTorch checkpoint: expected a zip archive or a legacy torch.save pickle (first bytes "
                + hex(head) + ")");
    }

    // ---- the two containers ----

    private Map<String, StateTensor> readLegacy() throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 16) throw new FormatException(file, "file is " + size + " bytes; files over 2 GiB are not supported");
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        Unpickler pickles = new Unpickler(file, in, this);
        Object magic = pickles.load();
        if (!(magic instanceof BigInteger b && b.equals(MAGIC))) {
            throw new FormatException(file, "magic number " + magic + ", expected 0x" + MAGIC.toString(16) + ": not a torch.save file");
        }
        Object protocol = pickles.load();
        if (!(protocol instanceof Long p && p == PROTOCOL_VERSION)) {
            throw new FormatException(file, "torch protocol version " + protocol + ", expected " + PROTOCOL_VERSION);
        }
        if (!(pickles.load() instanceof Map<?, ?> sysInfo)) throw new FormatException(file, "system information is not a dict");
        if (Boolean.FALSE.equals(sysInfo.get("little_endian"))) {
            throw new FormatException(file, "saved on a big-endian machine; only little-endian checkpoints are supported");
        }
        Object result = pickles.load();
        Object keys = pickles.load();
        if (!(keys instanceof List<?> keyList)) throw new FormatException(file, "storage key list is a " + Unpickler.typeName(keys) + ", expected a list");
        for (Object k : keyList) {
            Storage s = k instanceof String key ? storages.get(key) : null;
            if (s == null) throw new FormatException(file, "storage key " + k + " is listed but no tensor uses it");
            if (in.remaining() < 8) throw new FormatException(file, "storage '" + s.key + "': the file ends before its element count (truncated?)");
            long count = in.getLong();
            if (count != s.numel) {
                throw new FormatException(file, "storage '" + s.key + "' holds " + count + " elements, the pickle says " + s.numel);
            }
            if (count > in.remaining() / s.type.size) {
                throw new FormatException(file, "storage '" + s.key + "': " + count + " elements of " + s.type
                        + " exceed the " + in.remaining() + " bytes left (truncated?)");
            }
            int bytes = (int) (count * s.type.size);
            s.data = in.slice(in.position(), bytes).order(ByteOrder.LITTLE_ENDIAN);
            in.position(in.position() + bytes);
        }
        return tensors(result);
    }

    private Map<String, StateTensor> readZip() throws IOException {
        inflateBudget = MAX_EXPANSION * Files.size(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> pickles = new ArrayList<>();
            zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9).forEach(pickles::add);
            if (pickles.size() != 1) {
                throw new FormatException(file, "zip archive has " + pickles.size() + " '<archive>/data.pkl' entries, expected 1: not a torch.save file");
            }
            String prefix = pickles.getFirst().substring(0, pickles.getFirst().length() - "data.pkl".length());
            // Written by torch 2.x; older archives are little-endian without saying so.
            if (zip.getEntry(prefix + "byteorder") != null && new String(entry(zip, prefix + "byteorder", 16), UTF_8).strip().equals("big")) {
                throw new FormatException(file, "saved on a big-endian machine; only little-endian checkpoints are supported");
            }
            byte[] pickle = entry(zip, prefix + "data.pkl", Integer.MAX_VALUE - 16);
            Object result = new Unpickler(file, ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN), this).load();
            for (Storage s : storages.values()) {
                String name = prefix + "data/" + s.key;
                long expected = s.numel * s.type.size;
                if (expected > Integer.MAX_VALUE - 16) throw new FormatException(file, "storage '" + s.key + "' is over 2 GiB");
                // Read at most one byte more than expected, so a corrupt entry cannot exhaust memory.
                byte[] bytes = entry(zip, name, (int) expected + 1);
                if (bytes.length != expected) {
                    throw new FormatException(file, "entry '" + name + "' has " + bytes.length + " bytes, but storage '" + s.key
                            + "' is " + s.numel + " elements of " + s.type);
                }
                s.data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            }
            return tensors(result);
        } catch (FormatException e) {
            throw e;
        } catch (IOException e) {
            // ZipException, or an EOFException from an entry cut short: the JDK's messages do not name the file.
            throw new FormatException(file, "not a readable zip archive: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }

    /**
     * Entry {@code name}, read up to {@code maxBytes} and within what is left of the expansion budget.
     * readNBytes grows its buffer as bytes arrive, so a declared size is never allocated up front.
     */
    private byte[] entry(ZipFile zip, String name, int maxBytes) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) throw new FormatException(file, "zip archive has no entry '" + name + "'");
        int limit = (int) Math.min(maxBytes, inflateBudget);
        try (InputStream in = zip.getInputStream(e)) {
            byte[] bytes = in.readNBytes(limit);
            if (bytes.length == limit && in.read() >= 0) {
                throw new FormatException(file, limit < maxBytes
                        ? "entry '" + name + "' decompresses to more than " + MAX_EXPANSION + " times the archive's size in all"
                                + " (torch.save stores entries uncompressed): a zip bomb or a corrupt archive"
                        : "entry '" + name + "' is over 2 GiB");
            }
            inflateBudget -= bytes.length;
            return bytes;
        }
    }

    // ---- the unpickler's hooks ----

    @Override
    public boolean allows(Global g) {
        return CALLABLE.contains(g.toString()) || (g.module().equals("torch") && StorageType.byName(g.name()) != null);
    }

    @Override
    public Object call(Global g, List<Object> args) throws FormatException {
        switch (g.toString()) {
            case ORDERED_DICT -> {
                // Pickle writes OrderedDict() and then adds the items with SETITEMS.
                if (!args.isEmpty()) throw new FormatException(file, g + " called with " + types(args) + ", expected no arguments");
                return new LinkedHashMap<>();
            }
            case REBUILD_V2, REBUILD -> {
                // (storage, storage_offset, size, stride[, requires_grad, backward_hooks[, metadata]])
                int min = g.toString().equals(REBUILD) ? 4 : 6;
                if (args.size() < min || args.size() > 7 || !(args.get(0) instanceof Storage storage) || !(args.get(1) instanceof Long offset)) {
                    throw new FormatException(file, g + " called with " + types(args) + ", expected (storage, offset, size, stride, ...)");
                }
                return new TensorRef(storage, offset, longs(g, "size", args.get(2)), longs(g, "stride", args.get(3)));
            }
            case REBUILD_PARAMETER -> {
                // (data, requires_grad, backward_hooks): a Parameter is its tensor for our purposes.
                if (args.size() != 3 || !(args.getFirst() instanceof TensorRef t)) {
                    throw new FormatException(file, g + " called with " + types(args) + ", expected (tensor, requires_grad, backward_hooks)");
                }
                return t;
            }
            default -> throw new FormatException(file, "calling " + g + " is not supported: not a tensor checkpoint");
        }
    }

    @Override
    public Object persistentLoad(Object pid) throws FormatException {
        // ('storage', storage_type, key, location, numel) in the zip format; the legacy format adds view_metadata.
        if (!(pid instanceof List<?> t) || t.size() < 5 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof Global g)
                || !(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel) || numel < 0) {
            throw new FormatException(file, "persistent id " + describe(pid) + ", expected ('storage', type, key, location, numel)");
        }
        if (t.size() > 6 || (t.size() == 6 && t.get(5) != null)) {
            throw new FormatException(file, "storage '" + key + "' is a view of another storage (torch before 0.4); re-save the checkpoint with a recent torch");
        }
        StorageType type = g.module().equals("torch") ? StorageType.byName(g.name()) : null;
        if (type == null) throw new FormatException(file, "storage '" + key + "' has type " + g + ", expected a torch storage type");
        Storage s = storages.computeIfAbsent(key, k -> new Storage(k, type, numel));
        if (s.type != type || s.numel != numel) {
            throw new FormatException(file, "storage '" + key + "' is named twice with different types or sizes");
        }
        return s;
    }

    // ---- from pickled views to dense tensors ----

    private Map<String, StateTensor> tensors(Object result) throws FormatException {
        if (!(result instanceof Map<?, ?> top)) {
            throw new FormatException(file, "holds a " + Unpickler.typeName(result) + ", expected a state dict (a dict of tensors)");
        }
        // Training checkpoints often wrap the state dict: {'epoch': ..., 'state_dict': {...}, ...}.
        Map<?, ?> dict = top.get("state_dict") instanceof Map<?, ?> inner ? inner : top;
        elementBudget = 0;
        for (Storage s : storages.values()) elementBudget += MAX_ELEMENTS_PER_STORED * s.numel;
        Map<String, StateTensor> out = new LinkedHashMap<>();
        for (var e : dict.entrySet()) {
            if (!(e.getKey() instanceof String key)) throw new FormatException(file, "state dict key " + describe(e.getKey()) + " is not a string");
            if (!(e.getValue() instanceof TensorRef t)) {
                throw new FormatException(file, "entry '" + key + "' is a " + Unpickler.typeName(e.getValue()) + ", expected a tensor");
            }
            out.put(key, dense(key, t));
        }
        return out;
    }

    /** Gathers a strided view into a dense row-major array, after checking it stays inside its storage. */
    private StateTensor dense(String key, TensorRef t) throws FormatException {
        String where = "tensor '" + key + "': ";
        long[] size = t.size(), stride = t.stride();
        if (size.length != stride.length) {
            throw new FormatException(file, where + "size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride) + " differ in length");
        }
        if (t.storage().data == null) throw new FormatException(file, where + "storage '" + t.storage().key + "' has no data in the file");
        for (int d = 0; d < size.length; d++) {
            if (size[d] < 0 || stride[d] < 0) {
                throw new FormatException(file, where + "size " + Arrays.toString(size) + " / stride " + Arrays.toString(stride) + " has a negative entry");
            }
        }
        long numel = 1, last = t.offset();
        try {
            for (long n : size) numel = Math.multiplyExact(numel, n);
        } catch (ArithmeticException e) {
            numel = Long.MAX_VALUE;
        }
        if (numel > Integer.MAX_VALUE - 16) throw new FormatException(file, where + "size " + Arrays.toString(size) + " is too large");
        try {
            for (int d = 0; d < size.length; d++) {
                if (size[d] > 0) last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
            }
        } catch (ArithmeticException e) {
            last = Long.MAX_VALUE; // far outside any storage, reported below
        }
        int[] shape = new int[size.length];
        for (int d = 0; d < size.length; d++) shape[d] = (int) size[d];
        long available = t.storage().data.capacity() / t.storage().type.size;
        if (numel > 0 && (t.offset() < 0 || last >= available)) {
            throw new FormatException(file, where + "offset " + t.offset() + ", size " + Arrays.toString(size) + " and stride "
                    + Arrays.toString(stride) + " reach element " + last + ", but storage '" + t.storage().key + "' holds " + available);
        }
        if (numel > elementBudget) {
            throw new FormatException(file, where + "size " + Arrays.toString(size) + " / stride " + Arrays.toString(stride)
                    + " makes the tensors hold more than " + MAX_ELEMENTS_PER_STORED + " elements per stored element: not a state dict");
        }
        elementBudget -= numel;
        float[] values = new float[(int) numel];
        ByteBuffer data = t.storage().data;
        StorageType type = t.storage().type;
        int[] index = new int[shape.length];
        long at = t.offset();
        for (int i = 0; i < values.length; i++) {
            values[i] = type.get(data, (int) at);
            // Odometer over the indices, last dimension fastest, keeping the storage position in step.
            for (int d = shape.length - 1; d >= 0; d--) {
                at += stride[d];
                if (++index[d] < shape[d]) break;
                at -= stride[d] * shape[d];
                index[d] = 0;
            }
        }
        return new StateTensor(shape, values, type.toString());
    }

    private long[] longs(Global g, String what, Object value) throws FormatException {
        if (!(value instanceof List<?> items)) throw new FormatException(file, g + ": " + what + " is a " + Unpickler.typeName(value) + ", expected a tuple of ints");
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(items.get(i) instanceof Long v)) throw new FormatException(file, g + ": " + what + " " + describe(value) + " holds a " + Unpickler.typeName(items.get(i)));
            out[i] = v;
        }
        return out;
    }

    private static String types(List<Object> args) {
        List<String> names = new ArrayList<>();
        for (Object a : args) names.add(a instanceof Storage ? "storage" : a instanceof TensorRef ? "tensor" : Unpickler.typeName(a));
        return "(" + String.join(", ", names) + ")";
    }

    private static String describe(Object value) {
        return value instanceof List<?> l ? types(new ArrayList<>(l)) : value instanceof String s ? "'" + s + "'" : Unpickler.typeName(value);
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x & 0xff));
        return s.isEmpty() ? "none: the file is empty" : s.toString();
    }
}
