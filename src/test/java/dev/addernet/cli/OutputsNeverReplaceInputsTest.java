package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.io.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An output that is one of the command's inputs (the same file, by real path) is refused, and the input kept. */
class OutputsNeverReplaceInputsTest {
    @TempDir static Path tmp;
    static Path weights;

    @BeforeAll
    static void weightsFile() throws Exception {
        weights = UntrustedNumbersTest.weights(tmp, "w", (n, t) -> {});
    }

    static void assertRefusedAndUnchanged(Path input, String... args) throws Exception {
        byte[] before = Files.readAllBytes(input);
        CliErrorsTest.assertOneErrorLine(CliRun.of(args), "is also an input", input.getFileName().toString());
        assertThat(Files.readAllBytes(input)).isEqualTo(before);
    }

    @Test
    void inferOutputOverItsWeightsOrInput() throws Exception {
        Path x = tmp.resolve("x.safetensors");
        SafeTensors.writer().put("input", new int[] {1, 1, 32, 32}, new float[32 * 32]).write(x);
        assertRefusedAndUnchanged(weights, "infer", "--weights", weights.toString(), "--input", x.toString(), "--output", weights.toString());
        assertRefusedAndUnchanged(x, "infer", "--weights", weights.toString(), "--input", x.toString(), "--output", x.toString());
    }

    @Test
    void exportOverItsWeightsThroughAnotherPath() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("link.safetensors"), weights);
        assertRefusedAndUnchanged(weights, "export", "--weights", weights.toString(), "--out", link.toString());
        Path dotted = tmp.resolve(".").resolve(weights.getFileName());
        assertRefusedAndUnchanged(weights, "export", "--weights", weights.toString(), "--out", dotted.toString());
    }

    @Test
    void importOverItsSource() throws Exception {
        Path exported = tmp.resolve("exported.safetensors");
        assertThat(CliRun.of("export", "--weights", weights.toString(), "--out", exported.toString()).code()).isZero();
        assertRefusedAndUnchanged(exported, "import", "--pytorch", exported.toString(), "--out", exported.toString());
    }

    @Test
    void emptyPathsAreRefusedBeforeAnyWork() {
        for (List<String> args : List.of(List.of("export", "--weights", weights.toString(), "--out", ""),
                List.of("train", "--out", ""), List.of("eval", "--weights", ""))) {
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().strip()).doesNotContain("\n").contains("empty path");
        }
    }
}
