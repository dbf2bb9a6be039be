package dev.addernet.io;

import dev.addernet.fuzz.Fuzz;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SafeTensors.read on mutated files: a typed error naming the file or a well-formed result (see {@link Fuzz}). */
class SafeTensorsFuzzTest {
    @TempDir Path tmp;

    @Test
    void mutatedFilesKeepTheContract() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        Path a = tmp.resolve("a.safetensors");
        SafeTensors.writer().put("conv.weight", new int[] {2, 1, 3, 3}, new float[18]).put("bias", new int[] {2}, new float[] {1, -2})
                .putLong("n", new int[0], new long[] {7}).metadata("config", "{\"model\":\"lenet5\"}").write(a);
        seeds.add(Files.readAllBytes(a));
        Path b = tmp.resolve("b.safetensors");
        SafeTensors.writer().putDouble("d", new int[] {3}, new double[] {1, 2, 3}).put("empty", new int[] {0, 4}, new float[0]).write(b);
        seeds.add(Files.readAllBytes(b));
        // dtypes the writer does not produce
        seeds.add(Files.readAllBytes(HandMade.file(tmp, "{'h':{'dtype':'F16','shape':[2],'data_offsets':[0,4]},"
                + "'u':{'dtype':'U8','shape':[3],'data_offsets':[4,7]},'t':{'dtype':'BOOL','shape':[1],'data_offsets':[7,8]}}", 8)));
        List<byte[]> tokens = Fuzz.tokens("\"dtype\"", "\"F32\"", "\"U64\"", "\"shape\"", "\"data_offsets\"", "[0, 4]", "[4, 0]",
                "\"__metadata__\"", "{", "}", "[", "]", ",", ":", "-1", "1e99", "18446744073709551615", "9223372036854775807",
                "NaN", "null", "\"x\"", "2147483647");

        Fuzz.check(new Fuzz.Target("safetensors", "in.safetensors", seeds, tokens, 64, 4 << 20, file -> {
            SafeTensors st = SafeTensors.read(file);
            for (String name : st.names()) st.floats(name);
        }), tmp.resolve("fuzz"));
    }
}
