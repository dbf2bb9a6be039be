package dev.addernet.interop;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state dict as torch 2.x's torch.save writes it to a file object, every byte written out here by hand
 * rather than by our test writer ({@link TorchFiles}): the pickle Python's pickler emits at protocol 2,
 * in torch's zip container ({@link TorchZip}). The module is conv (1->2, 2x2, no bias) + BatchNorm2d(2):
 * <pre>
 * torch.save(model.state_dict(), f)
 * </pre>
 * The pickle, as pickletools.dis shows it: the state dict is {@code OrderedDict()} filled by SETITEMS;
 * each tensor is {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks)}
 * with the storage a persistent id {@code ('storage', torch.FloatStorage, key, 'cpu', numel)} and the hooks
 * an empty {@code OrderedDict()}; every string, tuple, global and object built is memoised (BINPUT) and
 * fetched again when repeated (BINGET: the globals, 'storage', 'cpu', 'version'); then BUILD gives the
 * OrderedDict its attribute {@code _metadata}, {@code {prefix: {'version': module._version}}}.
 * Torch cannot run here; these bytes are identical to what CPython 3.11's pickler writes, at protocol 2,
 * for stand-ins of torch's {@code Tensor.__reduce_ex__} and {@code persistent_id} (torch/_tensor.py,
 * torch/serialization.py), and the container was checked with Python's zipfile (entries readable, CRCs
 * right, every entry's data at a multiple of 64).
 */
class TorchSaveZipTest {
    @TempDir Path tmp;

    static final byte[] DATA_PKL = bytes(
            0x80, 2,                                                  // PROTO 2
            'c', "collections\nOrderedDict\n", 'q', 0,                // GLOBAL, BINPUT 0
            ')', 'R', 'q', 1,                                         // EMPTY_TUPLE, REDUCE: OrderedDict(), BINPUT 1
            '(',                                                      // MARK: the items

            'X', 11, 0, 0, 0, "conv.weight", 'q', 2,                  // BINUNICODE
            'c', "torch._utils\n_rebuild_tensor_v2\n", 'q', 3,
            '(',                                                      // MARK: the arguments
            '(', 'X', 7, 0, 0, 0, "storage", 'q', 4,                  // MARK: the persistent id
            'c', "torch\nFloatStorage\n", 'q', 5,
            'X', 1, 0, 0, 0, "0", 'q', 6,                             // key: entry data/0
            'X', 3, 0, 0, 0, "cpu", 'q', 7,                           // location
            'K', 8, 't', 'q', 8, 'Q',                                 // numel 8; TUPLE; BINPERSID
            'K', 0,                                                   // storage offset
            '(', 'K', 2, 'K', 1, 'K', 2, 'K', 2, 't', 'q', 9,         // size (2, 1, 2, 2)
            '(', 'K', 4, 'K', 4, 'K', 2, 'K', 1, 't', 'q', 10,        // stride (4, 4, 2, 1)
            0x89,                                                     // NEWFALSE: requires_grad
            'h', 0, ')', 'R', 'q', 11,                                // backward hooks: OrderedDict()
            't', 'q', 12, 'R', 'q', 13,                               // TUPLE of the 6 arguments; REDUCE

            'X', 9, 0, 0, 0, "bn.weight", 'q', 14,
            'h', 3, '(', '(', 'h', 4, 'h', 5, 'X', 1, 0, 0, 0, "1", 'q', 15, 'h', 7, 'K', 2, 't', 'q', 16, 'Q',
            'K', 0, 'K', 2, 0x85, 'q', 17, 'K', 1, 0x85, 'q', 18,    // size (2,), stride (1,): TUPLE1
            0x89, 'h', 0, ')', 'R', 'q', 19, 't', 'q', 20, 'R', 'q', 21,

            'X', 7, 0, 0, 0, "bn.bias", 'q', 22,
            'h', 3, '(', '(', 'h', 4, 'h', 5, 'X', 1, 0, 0, 0, "2", 'q', 23, 'h', 7, 'K', 2, 't', 'q', 24, 'Q',
            'K', 0, 'K', 2, 0x85, 'q', 25, 'K', 1, 0x85, 'q', 26,
            0x89, 'h', 0, ')', 'R', 'q', 27, 't', 'q', 28, 'R', 'q', 29,

            'X', 15, 0, 0, 0, "bn.running_mean", 'q', 30,
            'h', 3, '(', '(', 'h', 4, 'h', 5, 'X', 1, 0, 0, 0, "3", 'q', 31, 'h', 7, 'K', 2, 't', 'q', 32, 'Q',
            'K', 0, 'K', 2, 0x85, 'q', 33, 'K', 1, 0x85, 'q', 34,
            0x89, 'h', 0, ')', 'R', 'q', 35, 't', 'q', 36, 'R', 'q', 37,

            'X', 14, 0, 0, 0, "bn.running_var", 'q', 38,
            'h', 3, '(', '(', 'h', 4, 'h', 5, 'X', 1, 0, 0, 0, "4", 'q', 39, 'h', 7, 'K', 2, 't', 'q', 40, 'Q',
            'K', 0, 'K', 2, 0x85, 'q', 41, 'K', 1, 0x85, 'q', 42,
            0x89, 'h', 0, ')', 'R', 'q', 43, 't', 'q', 44, 'R', 'q', 45,

            'X', 22, 0, 0, 0, "bn.num_batches_tracked", 'q', 46,      // an int64 scalar
            'h', 3, '(', '(', 'h', 4, 'c', "torch\nLongStorage\n", 'q', 47, 'X', 1, 0, 0, 0, "5", 'q', 48, 'h', 7,
            'K', 1, 't', 'q', 49, 'Q',
            'K', 0, ')', ')',                                         // size (), stride (): EMPTY_TUPLE, not memoised
            0x89, 'h', 0, ')', 'R', 'q', 50, 't', 'q', 51, 'R', 'q', 52,
            'u',                                                      // SETITEMS

            '}', 'q', 53,                                             // the OrderedDict's __dict__
            'X', 9, 0, 0, 0, "_metadata", 'q', 54,
            'h', 0, ')', 'R', 'q', 55, '(',                           // OrderedDict(), MARK
            'X', 0, 0, 0, 0, 'q', 56, '}', 'q', 57,                   // '': {'version': 1}
            'X', 7, 0, 0, 0, "version", 'q', 58, 'K', 1, 's',         // one item: SETITEM
            'X', 4, 0, 0, 0, "conv", 'q', 59, '}', 'q', 60, 'h', 58, 'K', 1, 's',
            'X', 2, 0, 0, 0, "bn", 'q', 61, '}', 'q', 62, 'h', 58, 'K', 2, 's',   // BatchNorm's _version is 2
            'u', 's',                                                 // SETITEMS into _metadata, SETITEM into __dict__
            'b',                                                      // BUILD: OrderedDict.__dict__.update(...)
            '.');                                                     // STOP

    static final float[] WEIGHT = {0.5f, -1.25f, 2f, 3.5f, -0.75f, 1e-3f, 4f, -2f};
    static final float[] GAMMA = {1.5f, 0.25f}, BETA = {-0.5f, 0.125f}, MEAN = {1200.5f, -3.75f}, VAR = {2.5e4f, 9f};
    static final long BATCHES = 77220;

    /** The file: records in the order torch 2.1 to 2.6 write them (2.7 adds .format_version and .storage_alignment). */
    static byte[] torchSaveFile() {
        return new TorchZip("archive")
                .record("data.pkl", DATA_PKL)
                .record("byteorder", "little".getBytes(US_ASCII))
                .record("data/0", floats(WEIGHT))
                .record("data/1", floats(GAMMA))
                .record("data/2", floats(BETA))
                .record("data/3", floats(MEAN))
                .record("data/4", floats(VAR))
                .record("data/5", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(BATCHES).array())
                .record("version", "3\n".getBytes(US_ASCII))
                // A hash of the record names and a combined CRC: 40 decimal digits a reader ignores.
                .record(".data/serialization_id", "0519764532140158637912660931813537148032".getBytes(US_ASCII))
                .finish();
    }

    @Test
    void theFileStartsAsATorchSaveFileDoes() {
        // Local header: version 0, flags 0x0808, stored, no time, CRC and sizes 0; name length 16, extra 18;
        // then the name and the FB block of 14 'Z's, so that the pickle starts at byte 64.
        byte[] expected = bytes(
                'P', 'K', 3, 4, 0, 0, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 18, 0,
                "archive/data.pkl", 'F', 'B', 14, 0, "ZZZZZZZZZZZZZZ", 0x80, 2);
        assertThat(Arrays.copyOf(torchSaveFile(), expected.length)).isEqualTo(expected);
    }

    @Test
    void readsAStateDictSavedByTorch2() throws Exception {
        Path file = Files.write(tmp.resolve("model.pt"), torchSaveFile());
        StateDict dict = StateDict.read(file);
        assertThat(dict.format()).isEqualTo("PyTorch zip format");
        Map<String, StateTensor> t = dict.tensors();
        // _metadata is an attribute set by BUILD, not an entry: only the tensors are listed.
        assertThat(t.keySet()).containsExactly("conv.weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
                "bn.num_batches_tracked");
        assertThat(t.get("conv.weight").shape()).containsExactly(2, 1, 2, 2);
        assertThat(t.get("conv.weight").values()).containsExactly(WEIGHT);
        assertThat(t.get("conv.weight").dtype()).isEqualTo("torch.FloatStorage");
        assertThat(t.get("bn.weight").values()).containsExactly(GAMMA);
        assertThat(t.get("bn.bias").values()).containsExactly(BETA);
        assertThat(t.get("bn.running_mean").values()).containsExactly(MEAN);
        assertThat(t.get("bn.running_var").shape()).containsExactly(2);
        assertThat(t.get("bn.running_var").values()).containsExactly(VAR);
        assertThat(t.get("bn.num_batches_tracked").shape()).isEmpty();
        assertThat(t.get("bn.num_batches_tracked").values()).containsExactly((float) BATCHES);
        assertThat(t.get("bn.num_batches_tracked").dtype()).isEqualTo("torch.LongStorage");
    }

    private static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    /** Ints and chars as one byte each, strings as their ASCII bytes. */
    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            switch (p) {
                case Integer i -> out.write(i);
                case Character c -> out.write(c);
                case String s -> out.writeBytes(s.getBytes(US_ASCII));
                default -> throw new IllegalArgumentException(p.toString());
            }
        }
        return out.toByteArray();
    }
}
