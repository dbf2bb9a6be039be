package dev.addernet.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.addernet.autograd.CrossEntropy;
import dev.addernet.autograd.Tape;
import dev.addernet.io.Json;
import dev.addernet.nn.Conv2d;
import dev.addernet.nn.LayerObserver;
import dev.addernet.nn.Linear;
import dev.addernet.nn.Module;
import dev.addernet.kernel.Op;
import dev.addernet.nn.Parameter;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model of the zoo, for every op: it builds, runs forward and backward in training mode at its
 * real input size (batch 2 for the MNIST/CIFAR networks, batch 1 for the ImageNet ResNets), and has the
 * parameter count of its architecture. At batch 1 the BatchNorm over the logits (one 1x1 value per class)
 * would normalise every logit to its bias and zero every gradient (PyTorch refuses that case), so there it
 * runs in evaluation mode; evaluation mode throughout would not do either: with fresh running statistics
 * the adder layers' large negative outputs pass BN unchanged and every ReLU after them is zero.
 */
class ModelZooTest {

    static Stream<Arguments> modelsAndOps() {
        return Models.NAMES.stream().flatMap(m -> Stream.of("conv", "adder", "binary").map(op -> Arguments.of(m, op)));
    }

    private static Tensor input(ModelConfig cfg, int batch, long seed) {
        Tensor x = Tensor.zeros(batch, cfg.inChannels(), cfg.imageSize(), cfg.imageSize());
        new Rng(seed).fillGaussian(x.data, 1.0);
        return x;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modelsAndOps")
    void forwardAndBackwardAtTheRealInputSize(String model, String op) {
        ModelConfig cfg = Models.standard(model, op, null, 0, 0);
        boolean imageNet = cfg.imageSize() == 224;
        int batch = imageNet ? 1 : 2;
        Module net = Models.build(cfg, 3);
        net.train(true);
        if (imageNet) net.children().get("bn2").train(false);
        Tensor x = input(cfg, batch, 4);
        int[] labels = imageNet ? new int[] {7} : new int[] {1, 2};
        float loss;
        try (Tape tape = Tape.open()) {
            Tensor logits = net.forward(x);
            assertThat(logits.shape()).containsExactly(batch, cfg.numClasses());
            Tensor l = CrossEntropy.forward(logits, labels);
            loss = l.item();
            tape.backward(l);
        }
        assertThat(loss).as("loss").isFinite();
        Map<String, Parameter> ps = net.parameters();
        List<String> filterWeights = new ArrayList<>();
        ps.forEach((name, p) -> {
            assertThat(p.hasGrad()).as("%s has a gradient", name).isTrue();
            for (float g : p.grad()) assertThat(g).as("gradient of %s", name).isFinite();
            if (p.rank() >= 2) filterWeights.add(name);
        });
        // the first and last filter layers and one in the middle learn something
        for (String name : List.of(filterWeights.getFirst(), filterWeights.get(filterWeights.size() / 2), filterWeights.getLast())) {
            double sum = 0;
            for (float g : ps.get(name).grad()) sum += Math.abs(g);
            assertThat(sum).as("|gradient| of %s", name).isPositive();
        }
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
            "lenet5, conv, 61942", "lenet5, adder, 61942",
            "lenetpp, conv, 797644",
            "resnet20, conv, 272484", "resnet20, adder, 272484",
            // binary: BNs over the layers' inputs, narrower where a block widens (16 + 16 + 32 + 32 channels, 2 parameters each)
            "resnet20, binary, 272292",
            "resnet32, conv, 466916",
            "vgg-small, conv, 4660116", "vgg-small, adder, 4660116",
            // torchvision's 11,689,512 and 25,557,032 without the fc bias (1,000) and with the logits' BN (2,000)
            "resnet18, conv, 11690512", "resnet18, adder, 11690512",
            "resnet50, conv, 25558032", "resnet50, adder, 25558032",
    })
    void parameterCountsMatchTheArchitectures(String model, String op, long expected) {
        assertThat(Models.build(Models.standard(model, op, null, 0, 0), 0).parameterCount()).isEqualTo(expected);
    }

    @Test
    void lenetppFeatureDimensionAndInputSize() {
        // 28x28: 128x3x3 into the feature layer; 32x32: 128x4x4
        ModelConfig three = new ModelConfig("lenetpp", "adder", 1, 28, 10, true, 3, 1);
        Module net = Models.build(three, 0);
        assertThat(net.state().get("fc1.weight").shape()).containsExactly(3, 128 * 3 * 3);
        assertThat(net.state().get("fc2.weight").shape()).containsExactly(10, 3);
        Module at32 = Models.build(new ModelConfig("lenetpp", "adder", 1, 32, 10, true), 0);
        assertThat(at32.state().get("fc1.weight").shape()).containsExactly(2, 128 * 4 * 4);
        net.train(false);
        assertThat(net.forward(input(three, 1, 0)).shape()).containsExactly(1, 10);
    }

    @Test
    void firstLastDefaults() {
        for (String op : List.of("adder", "conv")) {
            assertThat(Models.standard("lenet5", op, null, 0, 0).firstLast()).isTrue();
            assertThat(Models.standard("lenetpp", op, null, 0, 0).firstLast()).isTrue();
            for (String m : List.of("resnet20", "resnet32", "vgg-small", "resnet18", "resnet50")) {
                assertThat(Models.standard(m, op, null, 0, 0).firstLast()).as(m).isFalse();
            }
        }
        // binary nets keep them full precision for every model, as the papers' BNN rows
        for (String m : Models.NAMES) assertThat(Models.standard(m, "binary", null, 0, 0).firstLast()).as(m).isFalse();
        Module lenet = Models.build(Models.standard("lenet5", "binary", null, 0, 0), 0);
        assertThat(((Conv2d) lenet.children().get("conv1")).op()).isEqualTo(Op.CONV);
        assertThat(((Conv2d) lenet.children().get("conv2")).op()).isEqualTo(Op.BINARY);
        assertThat(((Linear) lenet.children().get("fc2")).op()).isEqualTo(Op.CONV);
        Module vgg = Models.build(Models.standard("vgg-small", "adder", null, 0, 0), 0);
        assertThat(((Conv2d) vgg.children().get("conv1")).op()).isEqualTo(Op.CONV);
        assertThat(((Conv2d) vgg.children().get("conv2")).op()).isEqualTo(Op.ADDER);
        assertThat(((Linear) vgg.children().get("fc")).op()).isEqualTo(Op.CONV);
        Module same = Models.build(Models.standard("vgg-small", "binary", true, 0, 0), 0);
        assertThat(((Linear) same.children().get("fc")).op()).isEqualTo(Op.BINARY);
    }

    @Test
    void conventionalStateNamesAreUnchangedAndBinaryTakesXnorNetOrder() {
        Module lenet = Models.build(Models.standard("lenet5", "adder", null, 0, 0), 0);
        assertThat(lenet.children().keySet()).containsExactly("conv1", "bn1", "relu1", "pool1", "conv2", "bn2", "relu2", "pool2",
                "conv3", "bn3", "relu3", "flatten", "fc1", "bn4", "relu4", "fc2", "bn5");
        Module binary = Models.build(Models.standard("lenet5", "binary", false, 0, 0), 0);
        // first and last full precision (conv, BN, ReLU); binary layers BN first, no ReLU
        assertThat(binary.children().keySet()).containsExactly("conv1", "bn1", "relu1", "pool1", "bn2", "conv2", "pool2",
                "bn3", "conv3", "flatten", "bn4", "fc1", "fc2", "bn5");
        assertThat(binary.state().get("bn2.weight").shape()).containsExactly(6);
    }

    @Test
    void configWithoutFeatureDimOrPReadsAsTheDefaults() throws Exception {
        String old = "{\"model\":\"lenetpp\",\"op\":\"adder\",\"inChannels\":1,\"imageSize\":28,\"numClasses\":10,\"firstLast\":true}";
        ModelConfig cfg = Json.mapper().readValue(old, ModelConfig.class);
        assertThat(cfg.featureDim()).isZero();
        assertThat(cfg.p()).isEqualTo(1f);
        assertThat(Models.build(cfg, 0).state().get("fc1.weight").shape()).containsExactly(LeNetPP.DEFAULT_FEATURE_DIM, 1152);
        ModelConfig three = new ModelConfig("lenetpp", "adder", 1, 28, 10, true, 3, 1);
        assertThat(Json.mapper().readValue(Json.toJson(three), ModelConfig.class)).isEqualTo(three);
        ModelConfig l2 = three.withP(2);
        assertThat(Json.mapper().readValue(Json.toJson(l2), ModelConfig.class)).isEqualTo(l2);
        assertThat(Models.build(l2, 0).children().get("conv2").describe()).isEqualTo("Adder2d(32->32, k5 s1 p2, L2)");
    }

    static Stream<Arguments> modelsAndFirstLast() {
        return Models.NAMES.stream().flatMap(m -> Stream.of(false, true).map(same -> Arguments.of(m, same)));
    }

    /**
     * XNOR-Net's order puts a BatchNorm right before each sign, so in training mode every binary layer,
     * the first and last included when they are binary, sees an input that is zero-centred in each channel
     * and has both signs; a sign after a ReLU would be all +1 and the layer could not learn. The ImageNet
     * ResNets run at 64x64 (every stage still wider than 1x1) to keep the test fast.
     */
    @ParameterizedTest(name = "{0} first/last same: {1}")
    @MethodSource("modelsAndFirstLast")
    void everyBinaryLayerSeesAZeroCentredInputOfMixedSigns(String model, boolean firstLastSame) {
        ModelConfig standard = Models.standard(model, "binary", firstLastSame, 0, 0);
        ModelConfig cfg = standard.imageSize() == 224 ? new ModelConfig(model, "binary", 3, 64, 10, firstLastSame, 0, 1) : standard;
        Module net = Models.build(cfg, 5);
        net.train(true);
        List<String> checked = new ArrayList<>();
        LayerObserver.watch((layer, in, out) -> {
            boolean binary = (layer instanceof Conv2d c && c.op() == Op.BINARY) || (layer instanceof Linear l && l.op() == Op.BINARY);
            if (!binary) return;
            int n = in.dim(0), channels = in.dim(1), inner = in.numel() / (n * channels), negative = 0;
            for (int ch = 0; ch < channels; ch++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < inner; j++) {
                        float v = in.data[(i * channels + ch) * inner + j];
                        sum += v;
                        if (v < 0) negative++;
                    }
                }
                assertThat(sum / (n * inner)).as("%s: mean of input channel %d", layer.describe(), ch).isCloseTo(0, within(1e-4));
            }
            assertThat(negative).as("%s: inputs below zero (sign -1) of %d", layer.describe(), in.numel())
                    .isPositive().isLessThan(in.numel());
            checked.add(layer.describe());
        }, () -> net.forward(input(cfg, 2, 6)));
        long binaryLayers = net.parameters().entrySet().stream().filter(e -> e.getValue().rank() >= 2).count()
                - (cfg.firstLast() ? 0 : 2);
        assertThat(checked).hasSize((int) binaryLayers);
    }
}
