package dev.addernet.cli;

import dev.addernet.data.Normalization;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.io.SafeTensors;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Tensor;
import dev.addernet.train.SyntheticIdx;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Numbers that cannot be trusted are never printed as results: eval, predict and infer end in one error line. */
class UntrustedNumbersTest {
    @TempDir static Path tmp;
    static Path data, input, picture;

    @BeforeAll
    static void files() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 16, 32, 3);
        input = tmp.resolve("x.safetensors");
        SafeTensors.writer().put("input", new int[] {2, 1, 32, 32}, new float[2 * 32 * 32]).write(input);
        picture = tmp.resolve("p.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png",
                picture.toFile());
    }

    /** A LeNet-5 weights file for MNIST whose state {@code edit} changes first. */
    static Path weights(String name, BiConsumer<String, Tensor> edit) throws Exception {
        return weights(tmp, name, edit);
    }

    static Path weights(Path dir, String name, BiConsumer<String, Tensor> edit) throws Exception {
        ModelConfig cfg = Models.config("lenet5", "adder", 1, 32, 10, null);
        Module net = Models.build(cfg, 1);
        net.state().forEach(edit);
        Path file = dir.resolve(name + ".safetensors");
        List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        WeightsFile.save(file, net, cfg, "mnist", classes, Normalization.MNIST.mean(), Normalization.MNIST.std());
        return file;
    }

    static void assertRefused(Path weights, String... fragments) {
        for (CliRun r : List.of(
                CliRun.of("eval", "--weights", weights.toString(), "--data-dir", data.toString()),
                CliRun.of("predict", "--weights", weights.toString(), picture.toString()),
                CliRun.of("infer", "--weights", weights.toString(), "--input", input.toString(), "--output",
                        tmp.resolve("y.safetensors").toString()))) {
            CliErrorsTest.assertOneErrorLine(r, fragments);
            assertThat(r.out()).doesNotContain("accuracy", "%", "wrote");
        }
    }

    @Test
    void nanWeightsAreRefusedAtLoadNamingTheTensor() throws Exception {
        Path file = weights("nan", (n, t) -> Arrays.fill(t.data, Float.NaN));
        assertRefused(file, file.toString(), "NaN", "tensor '");
    }

    @Test
    void infiniteWeightIsRefusedAtLoad() throws Exception {
        String last = Models.build(Models.config("lenet5", "adder", 1, 32, 10, null), 1).state().keySet().stream()
                .filter(n -> n.endsWith(".weight")).reduce((a, b) -> b).orElseThrow();
        Path file = weights("inf", (n, t) -> { if (n.equals(last)) t.data[5] = Float.NEGATIVE_INFINITY; });
        assertRefused(file, file.toString(), "tensor '" + last + "'", "-Infinity");
    }

    @Test
    void negativeRunningVarianceIsRefusedAtLoad() throws Exception {
        Path file = weights("var", (n, t) -> { if (n.endsWith("running_var")) Arrays.fill(t.data, -1f); });
        assertRefused(file, file.toString(), "running_var", "negative");
    }

    @Test
    void finiteWeightsWhoseOutputsOverflowAreRefusedAtRunTime() throws Exception {
        Path file = weights("huge", (n, t) -> { if (!n.contains("running")) Arrays.fill(t.data, 3e38f); });
        assertRefused(file, "not finite");
    }
}
