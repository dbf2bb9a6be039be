package dev.addernet.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.autograd.CrossEntropy;
import dev.addernet.autograd.Tape;
import dev.addernet.nn.LayerObserver;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BatchNorm, ReLU and the residual add overwrite intermediates that only they read ({@code
 * Module.forwardReusing}): in inference all three, in training ReLU and the add (BatchNorm's backward reads
 * its input); in inference, containers also hand intermediates they are done with to the next layer
 * outputs ({@code Module.discard}). Inference logits must be bit for bit those of the same forward with a tape open (which keeps
 * every intermediate BatchNorm would reuse), training gradients those of a step under an observer (which
 * turns reuse off), the caller's input must come back untouched, and an observer must still see each
 * layer's own input.
 */
class InputReuseTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"resnet20, adder, 3, 32", "resnet20, conv, 3, 32", "resnet20, binary, 3, 32", "lenet5, adder, 1, 32",
                "vgg-small, adder, 3, 32", "resnet50, adder, 3, 64", "resnet18, conv, 3, 64"})
    void reusingGivesTheLogitsOfAForwardThatKeepsEverything(String model, String op, int channels, int size) {
        Module net = Models.build(Models.config(model, op, channels, size, 10, null), 3);
        randomiseBatchNorms(net);
        net.train(false);
        Tensor x = Tensor.zeros(2, channels, size, size);
        new Rng(7).fillGaussian(x.data, 1);
        float[] input = x.data.clone();

        float[] kept; // first, so that what a faulty reusing pass might leave in ArrayPool cannot touch it
        try (Tape tape = Tape.open()) {
            kept = net.forward(x).data.clone();
        }
        Tensor first = net.forward(x);
        float[] reused = first.data.clone();
        assertThat(x.data).as("the caller's input").containsExactly(input);
        // A second pass runs on the arrays the first discarded (ArrayPool): same logits, and the first
        // pass's logits, which nothing discarded, stay as they were.
        assertThat(net.forward(x).data).as("a second pass").containsExactly(reused);
        assertThat(first.data).as("the first pass's logits after a second pass").containsExactly(reused);
        assertThat(reused).containsExactly(kept);
        assertThat(reused).as("the network computed something").isNotEqualTo(new float[reused.length]);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"resnet20, adder, 3", "lenet5, adder, 1", "resnet50, conv, 3"})
    void reusingInTrainingGivesTheGradientsOfAStepThatKeepsEverything(String model, String op, int channels) {
        final int size = model.equals("resnet50") ? 64 : 32;
        Tensor x = Tensor.zeros(2, channels, size, size);
        new Rng(11).fillGaussian(x.data, 1);
        float[] input = x.data.clone();
        Map<String, float[]> reused = gradients(model, op, channels, size, x, false);
        assertThat(x.data).as("the caller's input").containsExactly(input);
        Map<String, float[]> kept = gradients(model, op, channels, size, x, true);
        assertThat(reused.keySet()).isEqualTo(kept.keySet());
        // Arrays.equals, not containsExactly: the latter's report on millions of floats takes minutes.
        reused.forEach((name, g) -> assertThat(Arrays.equals(g, kept.get(name))).as("gradient of %s bit for bit", name).isTrue());
        assertThat(reused.values().stream().anyMatch(g -> !Arrays.equals(g, new float[g.length]))).as("some gradient is non-zero").isTrue();
    }

    /** Every parameter's gradient after one training step's backward, from the same initialisation. */
    private static Map<String, float[]> gradients(String model, String op, int channels, int size, Tensor x, boolean observed) {
        Module net = Models.build(Models.config(model, op, channels, size, 10, null), 3);
        net.train(true);
        int[] labels = {1, 7};
        Runnable step = () -> {
            try (Tape tape = Tape.open()) {
                tape.backward(CrossEntropy.forward(net.forward(x), labels));
            }
        };
        if (observed) LayerObserver.watch((layer, in, out) -> {}, () -> { step.run(); return null; });
        else step.run();
        Map<String, float[]> out = new TreeMap<>();
        net.parameters().forEach((name, p) -> out.put(name, p.grad().clone()));
        return out;
    }

    /**
     * BatchNorm's scale, shift and running statistics away from their initial 1, 0, 0, 1 (some layers start
     * with a zero scale), so that every one of them changes what follows.
     */
    private static void randomiseBatchNorms(Module net) {
        Rng rng = new Rng(9);
        net.state().forEach((name, t) -> {
            if (t.shape().length != 1) return;
            for (int i = 0; i < t.data.length; i++) {
                final double u = rng.nextDouble();
                t.data[i] = (float) (name.endsWith("running_var") ? 0.5 + u : name.endsWith("weight") ? 0.5 + u : u - 0.5);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet20", "lenet5"})
    void anObserverSeesEachLayersInputAsItWas(String model) {
        final boolean lenet = model.equals("lenet5");
        final int channels = lenet ? 1 : 3, size = 32;
        Module net = Models.build(Models.config(model, "adder", channels, size, 10, null), 3);
        net.train(false);
        Tensor x = Tensor.zeros(1, channels, size, size);
        new Rng(8).fillGaussian(x.data, 1);
        int[] layers = {0};
        LayerObserver.watch((layer, in, out) -> {
            assertThat(out).as("%s wrote over its input while watched", layer.describe()).isNotSameAs(in);
            layers[0]++;
        }, () -> net.forward(x));
        assertThat(layers[0]).isGreaterThan(5);
    }
}
