package dev.addernet.interop;

import dev.addernet.fuzz.Fuzz;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StateDict.read (the pickle/zip .pth reader, and the format detection in front of it) on mutated
 * torch.save files: a typed error naming the file or a well-formed result (see {@link Fuzz}).
 */
class PthFuzzTest {
    @TempDir Path tmp;

    @Test
    void mutatedCheckpointsKeepTheContract() throws Exception {
        Map<String, TorchFiles.View> tensors = new LinkedHashMap<>();
        float[] w = new float[4 * 3 * 3 * 3];
        for (int i = 0; i < w.length; i++) w[i] = i * 0.25f - 3;
        tensors.put("conv1.weight", TorchFiles.floats(new int[] {4, 3, 3, 3}, w));
        tensors.put("bn1.running_var", TorchFiles.floats(new int[] {4}, new float[] {1, 2, 3, 4}));
        tensors.put("bn1.num_batches_tracked", TorchFiles.scalarLong(5));
        // a transposed view: stride (1, 2) over a 2x3 storage
        tensors.put("fc.weight", new TorchFiles.View("FloatStorage", TorchFiles.floats(new int[] {6}, new float[] {1, 2, 3, 4, 5, 6}).storage(),
                6, 0, new long[] {3, 2}, new long[] {1, 3}));
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Files.readAllBytes(TorchFiles.legacy(tmp.resolve("legacy.pth"), tensors)));
        seeds.add(Files.readAllBytes(TorchFiles.zip(tmp.resolve("zip.pth"), tensors)));
        List<byte[]> tokens = new ArrayList<>(Fuzz.tokens("ctorch\nFloatStorage\n", "cos\nsystem\n", "ctorch._utils\n_rebuild_tensor_v2\n",
                "(", ")", "t", "R", "Q", "s", "u", "}", "]", "e", "h\u0000", ".", "PK\u0003\u0004", "PK\u0001\u0002", "PK\u0005\u0006",
                "archive/data.pkl", "archive/data/0"));
        tokens.add(new byte[] {(byte) 0x80, 2});
        tokens.add(new byte[] {(byte) 0x8a, 10});
        tokens.add(new byte[] {'J', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});

        Fuzz.check(new Fuzz.Target("pth", "model.pth", seeds, tokens, 256, 8 << 20, StateDict::read), tmp.resolve("fuzz"));
    }
}
