package dev.addernet.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.fuzz.Allocated;
import dev.addernet.io.FormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small .pth cannot make the reader allocate much more than its own size: sizes are checked before allocating. */
class CheckpointMemoryTest {
    @TempDir Path tmp;

    /** A zip whose entry {@code name} is {@code zeros} zero bytes, deflated (about 1000 times smaller). */
    Path zipBomb(String name, int zeros, Map<String, TorchFiles.View> tensors) throws Exception {
        Path file = tmp.resolve("bomb.pth");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            if (!name.endsWith("data.pkl")) {
                zip.putNextEntry(new ZipEntry("archive/data.pkl"));
                zip.write(TorchFiles.stateDictPickle(tensors, false));
            }
            zip.putNextEntry(new ZipEntry(name));
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < zeros; i += chunk.length) zip.write(chunk, 0, Math.min(chunk.length, zeros - i));
        }
        return file;
    }

    static void assertRefusedWithin(Path file, long bytes, String... fragments) throws Exception {
        Allocated.Outcome o = Allocated.by(() -> StateDict.read(file));
        assertThat(o.thrown()).isInstanceOf(FormatException.class).hasMessageStartingWith(file.toString());
        for (String f : fragments) assertThat(o.thrown()).hasMessageContaining(f);
        assertThat(o.bytes()).as("bytes allocated reading a " + Files.size(file) + "-byte file").isLessThan(bytes);
    }

    @Test
    void aDeflatedPickleThatExpandsToGigabytesIsRefused() throws Exception {
        Path file = zipBomb("archive/data.pkl", 256 << 20, Map.of());
        assertRefusedWithin(file, 32L << 20, "archive/data.pkl", "16 times");
    }

    @Test
    void aDeflatedStorageThatExpandsFarBeyondTheFileIsRefused() throws Exception {
        int numel = 64 << 20;
        var view = new TorchFiles.View("FloatStorage", new byte[0], numel, 0, new long[] {numel}, new long[] {1});
        Path file = zipBomb("archive/data/0", 4 * numel, Map.of("w", view));
        assertRefusedWithin(file, 32L << 20, "archive/data/0", "16 times");
    }

    @Test
    void aViewThatRepeatsOneElementMillionsOfTimesIsRefused() throws Exception {
        var view = new TorchFiles.View("FloatStorage", new byte[4], 1, 0, new long[] {1 << 28}, new long[] {0});
        Path file = TorchFiles.legacy(tmp.resolve("stride0.pth"), Map.of("w", view));
        assertRefusedWithin(file, 8L << 20, "'w'", "elements");
    }

    @Test
    void aDeflatedCheckpointOfRealWeightsStillReads() throws Exception {
        float[] weights = new float[256 * 256];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < weights.length; i++) weights[i] = (float) random.nextGaussian();
        Path file = TorchFiles.zip(tmp.resolve("ok.pth"), Map.of("w", TorchFiles.floats(new int[] {256, 256}, weights)));
        assertThat(StateDict.read(file).tensors().get("w").values()).containsExactly(weights);
    }
}
