package dev.addernet.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.addernet.autograd.Relu;
import dev.addernet.io.SafeTensors;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The released ResNet-20 AdderNet checkpoint (legacy torch.save), imported into our ResNet-20, must
 * reproduce the reference's eval-mode forward pass (shared/fixtures/official-addernet, not in the repo).
 */
class ReferenceCheckpointTest {
    static final Path DIR = Path.of("../shared/fixtures/official-addernet");
    static final Path CHECKPOINT = DIR.resolve("ResNet20-AdderNet.pth");
    static final Path FORWARD = DIR.resolve("resnet20-checkpoint-forward.safetensors");

    @Test
    void importedResNet20MatchesTheReferenceForward() throws Exception {
        assumeTrue(Files.isRegularFile(CHECKPOINT) && Files.isRegularFile(FORWARD),
                "the reference checkpoint fixtures are not at " + DIR.toAbsolutePath().normalize());
        ModelConfig cfg = Models.config("resnet20", "adder", 3, 32, 10, null);
        Module net = Models.build(cfg, 7);
        StateDict dict = StateDict.read(CHECKPOINT);
        assertThat(dict.format()).isEqualTo("PyTorch legacy format");
        assertThat(dict.tensors().size()).isEqualTo(132);
        assertThat(dict.tensors().containsKey("module.layer1.0.conv1.adder")).isTrue();
        assertThat(PytorchImport.into(CHECKPOINT, dict, net, cfg)).isEqualTo(net.state().size());
        net.train(false);

        SafeTensors golden = SafeTensors.read(FORWARD);
        Tensor x = new Tensor(golden.floats("input"), golden.shape("input"));
        Map<String, Module> parts = net.children();
        Tensor stem = Relu.forward(parts.get("bn1").forward(parts.get("conv1").forward(x)));
        Tensor layer1 = parts.get("layer1").forward(stem);
        Tensor logits = net.forward(x);

        double layer1Error = relativeError(layer1.data, golden.floats("layer1_output"));
        double logitsError = relativeError(logits.data, golden.floats("logits"));
        System.out.printf("reference checkpoint: layer1_output error %.3g, logits error %.3g (max abs error / max |reference|)%n",
                layer1Error, logitsError);
        assertThat(layer1.shape()).containsExactly(4, 16, 32, 32);
        assertThat(layer1Error).as("aim of the issue: 1e-4 (5e-4 accepted); measured 1.0e-5").isLessThan(1e-4);
        assertThat(logitsError).as("aim of the issue: 1e-4 (5e-4 accepted)").isLessThan(1e-4);
        float[] expected = golden.floats("logits");
        for (int i = 0; i < 4; i++) assertThat(argmax(logits.data, i, 10)).as("image " + i).isEqualTo(argmax(expected, i, 10));
    }

    static double relativeError(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        double err = 0, scale = 0;
        for (int i = 0; i < actual.length; i++) {
            err = Math.max(err, Math.abs((double) actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return err / scale;
    }

    static int argmax(float[] v, int row, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) if (v[row * k + j] > v[row * k + best]) best = j;
        return best;
    }
}
