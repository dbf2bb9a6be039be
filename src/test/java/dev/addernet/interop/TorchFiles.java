package dev.addernet.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds torch.save files the way torch writes them, opcode by opcode: a state dict (an OrderedDict of
 * {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}, storages as persistent
 * ids), in the legacy layout or the zip layout.
 */
final class TorchFiles {
    private TorchFiles() {}

    /**
     * A tensor as a strided view of its own storage.
     *
     * @param type    the storage class, e.g. {@code FloatStorage}
     * @param storage the storage's raw little-endian elements
     * @param numel   the storage's element count
     */
    record View(String type, byte[] storage, long numel, long offset, long[] size, long[] stride) {}

    /** A contiguous float tensor. */
    static View floats(int[] shape, float[] values) {
        long[] size = new long[shape.length], stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            size[d] = shape[d];
            stride[d] = s;
            s *= shape[d];
        }
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return new View("FloatStorage", b.array(), values.length, 0, size, stride);
    }

    /** A scalar int64, like BatchNorm's num_batches_tracked. */
    static View scalarLong(long v) {
        return new View("LongStorage", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array(), 1, 0, new long[0], new long[0]);
    }

    /** Every tensor of a state dict, contiguous, under the given names. */
    static Map<String, View> contiguous(Map<String, StateTensor> tensors) {
        Map<String, View> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k, floats(t.shape(), t.values())));
        return out;
    }

    /** The state dict pickle; storage keys are the tensors' positions ("0", "1", ...). */
    static byte[] stateDictPickle(Map<String, View> tensors, boolean legacy) {
        PickleBytes p = new PickleBytes().proto();
        // OrderedDict(), memoised in slot 0 and fetched again for every tensor's backward hooks.
        p.global("collections", "OrderedDict").op('q', 0).op(')').op('R').op('q', 1);
        p.mark();
        int i = 0;
        for (var e : tensors.entrySet()) {
            View v = e.getValue();
            String key = Integer.toString(i++);
            p.str(e.getKey());
            p.global("torch._utils", "_rebuild_tensor_v2");
            p.mark();
            p.mark().str("storage").global("torch", v.type()).str(key).str("cpu").integer(v.numel());
            if (legacy) p.op('N');
            p.op('t').op('Q');
            p.integer(v.offset()).ints(v.size()).ints(v.stride()).op(0x89);
            p.op('h', 0).op(')').op('R');
            p.op('t').op('R');
        }
        return p.op('u').stop().toByteArray();
    }

    /** The legacy layout: magic, protocol, system info, state dict, storage keys, then each storage. */
    static Path legacy(Path file, Map<String, View> tensors) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new PickleBytes().proto().op(0x8a, 10).bytes(hexLittleEndian("1950a86a20f9469cfc6c")).stop().toByteArray());
            out.write(new PickleBytes().proto().integer(1001).stop().toByteArray());
            out.write(new PickleBytes().proto().op('}').mark().str("protocol_version").integer(1001)
                    .str("little_endian").op(0x88).str("type_sizes").op('}').mark().str("short").integer(2)
                    .str("int").integer(4).str("long").integer(4).op('u').op('u').stop().toByteArray());
            out.write(stateDictPickle(tensors, true));
            PickleBytes keys = new PickleBytes().proto().op(']').mark();
            for (int i = 0; i < tensors.size(); i++) keys.str(Integer.toString(i));
            out.write(keys.op('e').stop().toByteArray());
            for (View v : tensors.values()) {
                out.write(new PickleBytes().le(v.numel(), 8).toByteArray());
                out.write(v.storage());
            }
        }
        return file;
    }

    /** The zip layout: archive/data.pkl, archive/data/<key>, archive/version, archive/byteorder. */
    static Path zip(Path file, Map<String, View> tensors) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            entry(zip, "archive/data.pkl", stateDictPickle(tensors, false));
            entry(zip, "archive/byteorder", "little".getBytes(UTF_8));
            int i = 0;
            for (View v : tensors.values()) entry(zip, "archive/data/" + i++, v.storage());
            entry(zip, "archive/version", "3\n".getBytes(UTF_8));
        }
        return file;
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /** The bytes of a hex number, least significant first (pickle's LONG1 layout). */
    static byte[] hexLittleEndian(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) b[b.length - 1 - i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
