package dev.addernet.method.pkkd;

import dev.addernet.data.source.Datasets;
import dev.addernet.data.DatasetSplits;
import dev.addernet.data.LabelledImages;
import dev.addernet.data.transform.Pad;
import dev.addernet.data.loading.Batch;
import dev.addernet.data.loading.BatchLoader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.kernel.AdderOptions;
import dev.addernet.method.MethodContext;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.nn.Module;
import dev.addernet.optim.Sgd;
import dev.addernet.tensor.Tensor;
import dev.addernet.train.Trainer;
import dev.addernet.train.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PKKD's kernel transforms stay numerically alive on real data (Fashion-MNIST, LeNet-5-BN): at the start and
 * after training, every distilled layer's transformed features, the student's and the teacher's, are finite
 * and neither all ~0 nor all ~1; the student's kernel widths and 1x1 maps learn, the teacher's side stays.
 */
class PkkdMethodTest {
    static final ModelConfig LENET = Models.config("lenet5", "adder", 1, 32, 10, null);

    static PkkdMethod method(String featureLoss) {
        return (PkkdMethod) new PkkdSettings(PkkdSettings.PROGRESSIVE, featureLoss, 1, 1, 1, false, 0.01, null)
                .create(new MethodContext(LENET, AdderOptions.DEFAULT, 1, 0));
    }

    /** Finite, and spread: some values far from 1, some far from 0, a clear spread. */
    static void assertAlive(String what, Tensor t) {
        int nearOne = 0, nearZero = 0;
        double sum = 0, sq = 0;
        for (float v : t.data) {
            assertThat(Float.isFinite(v)).as(what + " finite").isTrue();
            if (Math.abs(v - 1) < 0.01) nearOne++;
            if (Math.abs(v) < 1e-3) nearZero++;
            sum += v;
            sq += (double) v * v;
        }
        int n = t.numel();
        double std = std(t);
        assertThat(nearOne).as(what + ": values within 0.01 of 1").isLessThan(n / 2);
        assertThat(nearZero).as(what + ": values within 1e-3 of 0").isLessThan(n / 2);
        assertThat(std).as(what + ": spread").isGreaterThan(0.1);
    }

    @Test
    void kernelFeaturesAreAliveOnARealBatchBeforeAndAfterTraining() {
        DatasetSplits data = Datasets.resolve("fashion-mnist", null);
        LabelledImages train = Trainer.sample(data.trainImages(), 4096);
        PkkdMethod method = method("pkkd");
        Module student = Models.build(LENET, 0);
        TrainingStep step = new TrainingStep(student, method, new Sgd(method.parameterGroups(student), 0.9, true, 5e-4, 0.2, true));
        Map<String, Tensor> initial = copies(method.state());

        List<Tensor> firstBatch = new ArrayList<>();
        int[][] firstLabels = new int[1][];
        try (BatchLoader loader = new BatchLoader(train, 64, true, 0, 0, data.norm(), Pad.toSize(train, 32).andThen(data.trainTransform()), false)) {
            for (Batch b : loader) {
                Tensor x = new Tensor(b.images(), b.count(), b.channels(), b.height(), b.width());
                if (firstBatch.isEmpty()) {
                    firstBatch.add(new Tensor(x.data.clone(), x.shape()));
                    firstLabels[0] = b.labels().clone();
                    checkAlive("start", method.transformedFeatures(student, x));
                }
                assertThat(step.run(x, b.labels(), 0.05).finite()).isTrue();
            }
        }
        checkAlive("after 64 steps", method.transformedFeatures(student, firstBatch.get(0)));

        Map<String, Tensor> trained = method.state();
        for (String layer : List.of("conv2", "conv3", "fc1")) {
            String p = "pkkd." + layer + ".";
            assertThat(trained.get(p + "log_sigma_a").data).as(p + "sigma_a learns").isNotEqualTo(initial.get(p + "log_sigma_a").data);
            assertThat(trained.get(p + "rho_a.weight").data).as(p + "rho_a learns").isNotEqualTo(initial.get(p + "rho_a.weight").data);
            assertThat(trained.get(p + "log_sigma_c").data).as(p + "sigma_c stays").containsExactly(initial.get(p + "log_sigma_c").data);
            assertThat(trained.get(p + "rho_c.weight").data).as(p + "rho_c stays").containsExactly(initial.get(p + "rho_c.weight").data);
        }
        assertThat(trained.keySet()).noneMatch(k -> k.startsWith("pkkd.conv1.") || k.startsWith("pkkd.fc2."));
    }

    private static void checkAlive(String when, Map<String, Tensor[]> features) {
        assertThat(features.keySet()).as("the distilled layers: every filter layer but the first and the last").containsExactly("conv2", "conv3", "fc1");
        features.forEach((layer, sides) -> {
            assertAlive(when + ", " + layer + ", student g", sides[0]);
            assertAlive(when + ", " + layer + ", teacher h", sides[1]);
            assertAlive(when + ", " + layer + ", rho_a(g)", sides[2]);
        });
    }

    static double std(Tensor t) {
        double sum = 0, sq = 0;
        for (float v : t.data) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / t.numel();
        return Math.sqrt(Math.max(0, sq / t.numel() - mean * mean));
    }

    private static Map<String, Tensor> copies(Map<String, Tensor> state) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, new Tensor(v.data.clone(), v.shape())));
        return out;
    }

    @Test
    void settingsAreCheckedAndTheStudentMustBeAnAdderNet() {
        assertThatThrownBy(() -> new PkkdSettings("progressive", "kernels", 1, 1, 1, false, 0.01, null)).hasMessageContaining("--feature-loss")
                .hasMessageContaining("pkkd");
        assertThatThrownBy(() -> new PkkdSettings("progressive", "pkkd", -1, 1, 1, false, 0.01, null)).hasMessageContaining("--kd-alpha");
        assertThatThrownBy(() -> new PkkdSettings("progressive", "pkkd", 1, Double.NaN, 1, false, 0.01, null)).hasMessageContaining("--kd-beta");
        assertThatThrownBy(() -> new PkkdSettings("progressive", "pkkd", 1, 1, 0, false, 0.01, null)).hasMessageContaining("--kd-temperature");
        ModelConfig cnn = Models.config("lenet5", "conv", 1, 32, 10, null);
        assertThatThrownBy(() -> new PkkdSettings("progressive", "pkkd", 1, 1, 1, false, 0.01, null)
                .create(new MethodContext(cnn, AdderOptions.DEFAULT, 1, 0))).hasMessageContaining("not --op conv");
    }

    @Test
    void theShortcutsAreDistilledOnlyWhenAsked() {
        ModelConfig resnet = Models.config("resnet20", "adder", 3, 32, 10, null);
        for (boolean shortcuts : new boolean[] {false, true}) {
            PkkdMethod m = (PkkdMethod) new PkkdSettings(PkkdSettings.PROGRESSIVE, "pkkd", 1, 1, 1, shortcuts, 0.01, null)
                    .create(new MethodContext(resnet, AdderOptions.DEFAULT, 1, 0));
            m.parameterGroups(Models.build(resnet, 0));
            List<String> layers = m.state().keySet().stream().filter(k -> k.endsWith(".log_sigma_a")).map(k -> k.substring(5, k.length() - 12)).toList();
            // 9 blocks x 2 convolutions; the stem conv1 and the classifier fc are not distilled; 2 shortcuts on request
            assertThat(layers).hasSize(shortcuts ? 20 : 18).doesNotContain("conv1", "fc");
            assertThat(layers.stream().anyMatch(l -> l.contains("downsample"))).isEqualTo(shortcuts);
        }
    }
}
