package dev.addernet.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.io.FormatException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** torch.save files built by hand, in both layouts: tensors, strides, dtypes and every kind of damage. */
class TorchCheckpointTest {
    @TempDir Path tmp;

    /** Storage 0..6; the tensor is the transpose of a 2x3 view starting at element 1: [[1,4],[2,5],[3,6]]. */
    static TorchFiles.View transposed() {
        ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 7; i++) b.putFloat(i);
        return new TorchFiles.View("FloatStorage", b.array(), 7, 1, new long[] {3, 2}, new long[] {1, 3});
    }

    static Map<String, TorchFiles.View> sample() {
        Map<String, TorchFiles.View> t = new LinkedHashMap<>();
        t.put("module.conv.adder", TorchFiles.floats(new int[] {2, 1, 1, 2}, new float[] {1.5f, -2f, 3f, 1e-3f}));
        t.put("module.t", transposed());
        t.put("module.bn.num_batches_tracked", TorchFiles.scalarLong(391));
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-7);
        t.put("double", new TorchFiles.View("DoubleStorage", d.array(), 2, 0, new long[] {2}, new long[] {1}));
        ByteBuffer h = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort(Float.floatToFloat16(0.5f)).putShort(Float.floatToFloat16(-3f));
        t.put("half", new TorchFiles.View("HalfStorage", h.array(), 2, 1, new long[] {1}, new long[] {1}));
        // Stride 0 broadcasts one element, as expand() does.
        t.put("expanded", new TorchFiles.View("FloatStorage", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(9).array(),
                1, 0, new long[] {2, 2}, new long[] {0, 0}));
        return t;
    }

    static void assertSample(StateDict dict) {
        Map<String, StateTensor> t = dict.tensors();
        assertThat(t.keySet()).containsExactly("module.conv.adder", "module.t", "module.bn.num_batches_tracked", "double", "half", "expanded");
        assertThat(t.get("module.conv.adder").shape()).containsExactly(2, 1, 1, 2);
        assertThat(t.get("module.conv.adder").values()).containsExactly(1.5f, -2f, 3f, 1e-3f);
        assertThat(t.get("module.t").shape()).containsExactly(3, 2);
        assertThat(t.get("module.t").values()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(t.get("module.bn.num_batches_tracked").shape()).isEmpty();
        assertThat(t.get("module.bn.num_batches_tracked").values()).containsExactly(391f);
        assertThat(t.get("module.bn.num_batches_tracked").dtype()).isEqualTo("torch.LongStorage");
        assertThat(t.get("double").values()).containsExactly(0.1f, -7f);
        assertThat(t.get("half").values()).containsExactly(-3f);
        assertThat(t.get("expanded").values()).containsExactly(9, 9, 9, 9);
    }

    @Test
    void readsTheLegacyFormat() throws Exception {
        StateDict dict = StateDict.read(TorchFiles.legacy(tmp.resolve("legacy.pth"), sample()));
        assertThat(dict.format()).isEqualTo("PyTorch legacy format");
        assertSample(dict);
    }

    @Test
    void readsTheZipFormat() throws Exception {
        StateDict dict = StateDict.read(TorchFiles.zip(tmp.resolve("zip.pth"), sample()));
        assertThat(dict.format()).isEqualTo("PyTorch zip format");
        assertSample(dict);
    }

    @Test
    void readsATrainingCheckpointWrappingTheStateDict() throws Exception {
        // {'epoch': 3, 'state_dict': OrderedDict(...)}: the usual shape of a training checkpoint.
        byte[] stateDict = TorchFiles.stateDictPickle(Map.of("w", TorchFiles.floats(new int[] {1}, new float[] {2f})), false);
        byte[] inner = java.util.Arrays.copyOfRange(stateDict, 2, stateDict.length - 1); // without PROTO and STOP
        byte[] pickle = new PickleBytes().proto().op('}').mark().str("epoch").integer(3).str("state_dict").bytes(inner).op('u').stop().toByteArray();
        Path file = tmp.resolve("wrapped.pth");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("wrapped/data.pkl"));
            zip.write(pickle);
            zip.putNextEntry(new ZipEntry("wrapped/data/0"));
            zip.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(2f).array());
        }
        assertThat(StateDict.read(file).tensors().get("w").values()).containsExactly(2f);
    }

    @Test
    void refusesAMaliciousCheckpoint() throws Exception {
        // A legacy file whose state dict pickle calls os.system: refused by name, nothing runs.
        Path file = TorchFiles.legacy(tmp.resolve("evil.pth"), Map.of());
        byte[] clean = Files.readAllBytes(file);
        byte[] evil = new PickleBytes().proto().global("os", "system").str("touch " + tmp.resolve("pwned")).op(0x85).op('R').stop().toByteArray();
        int stateDictAt = indexOf(clean, TorchFiles.stateDictPickle(Map.of(), true));
        Path bad = tmp.resolve("evil2.pth");
        try (OutputStream out = Files.newOutputStream(bad)) {
            out.write(clean, 0, stateDictAt);
            out.write(evil);
        }
        assertThatThrownBy(() -> StateDict.read(bad)).isInstanceOf(FormatException.class)
                .hasMessage(bad + ": refusing to load global os.system: not a tensor checkpoint");
        assertThat(tmp.resolve("pwned")).doesNotExist();

        // torch.storage._load_from_bytes would unpickle nested bytes with Python's own unpickler.
        Map<String, TorchFiles.View> t = Map.of("w", new TorchFiles.View("FloatStorage", new byte[4], 1, 0, new long[] {1}, new long[] {1}));
        byte[] pickle = TorchFiles.stateDictPickle(t, false);
        String s = new String(pickle, java.nio.charset.StandardCharsets.ISO_8859_1).replace("torch._utils\n_rebuild_tensor_v2", "torch.storage\n_load_from_bytes");
        Path zipped = tmp.resolve("bytes.pth");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(zipped))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        assertThatThrownBy(() -> StateDict.read(zipped)).hasMessageContaining("refusing to load global torch.storage._load_from_bytes");
    }

    @Test
    void reportsAViewOutsideItsStorage() throws Exception {
        Map<String, TorchFiles.View> t = Map.of("layer.weight",
                new TorchFiles.View("FloatStorage", new byte[16], 4, 1, new long[] {2, 2}, new long[] {2, 1}));
        assertThatThrownBy(() -> StateDict.read(TorchFiles.legacy(tmp.resolve("oob.pth"), t)))
                .hasMessageContaining("tensor 'layer.weight': offset 1, size [2, 2] and stride [2, 1] reach element 4, but storage '0' holds 4");
    }

    @Test
    void reportsDamagedFiles() throws Exception {
        Path file = TorchFiles.legacy(tmp.resolve("ok.pth"), sample());
        byte[] bytes = Files.readAllBytes(file);
        Path cut = Files.write(tmp.resolve("cut.pth"), java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> StateDict.read(cut)).isInstanceOf(FormatException.class).hasMessageContaining("cut.pth")
                .hasMessageContaining("exceed the");
        Path cutInPickle = Files.write(tmp.resolve("cut2.pth"), java.util.Arrays.copyOf(bytes, 200));
        assertThatThrownBy(() -> StateDict.read(cutInPickle)).hasMessageContaining("cut2.pth");
        Path text = Files.writeString(tmp.resolve("notes.pth"), "hello");
        assertThatThrownBy(() -> StateDict.read(text)).hasMessageContaining("notes.pth: not a PyTorch checkpoint");
        byte[] wrongMagic = new PickleBytes().proto().integer(42).stop().toByteArray();
        Path magic = Files.write(tmp.resolve("magic.pth"), wrongMagic);
        assertThatThrownBy(() -> StateDict.read(magic)).hasMessageContaining("magic number 42");
        Path zipNoData = tmp.resolve("nodata.pth");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(zipNoData))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(TorchFiles.stateDictPickle(sample(), false));
        }
        assertThatThrownBy(() -> StateDict.read(zipNoData)).hasMessageContaining("zip archive has no entry 'archive/data/0'");
        assertThatThrownBy(() -> StateDict.read(tmp.resolve("absent.pth"))).hasMessageContaining("absent.pth");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
