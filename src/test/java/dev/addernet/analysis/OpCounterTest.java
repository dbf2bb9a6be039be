package dev.addernet.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.nn.BatchNorm;
import dev.addernet.nn.Layers;
import dev.addernet.tensor.Shapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Operation counts computed from the built architectures, against the figures of the AdderNet, PKKD and
 * SLAC tables that our layouts reproduce (exact integers: any change to an architecture shows here).
 * Where a table's figure differs, the comment gives it.
 */
class OpCounterTest {

    private static OpCounter.Count count(String model, String op, boolean omitFirstLast) {
        ModelConfig cfg = Models.standard(model, op, null, 0, 0);
        return OpCounter.count(LayerTrace.of(Models.build(cfg, 0), cfg), omitFirstLast);
    }

    @ParameterizedTest(name = "{0} {1}: {2} mul, {3} add, {4} xnor")
    @CsvSource({
            // ResNet-32 CNN: the tables' 69.12M
            "resnet32, conv, 69124736, 69124736, 0",
            // ResNet-20 CNN: 40.81M (the tables say 41.17M, inconsistent with their own ResNet-32 figure)
            "resnet20, conv, 40813184, 40813184, 0",
            // ANN: first/last 0.443M mul (tables 0.45M); 2 x 40.37M + 0.443M add = 81.18M (tables 81.89M)
            "resnet20, adder, 443008, 81183360, 0",
            // BNN: 40.37M XNOR (tables 40.72M)
            "resnet20, binary, 443008, 40813184, 40370176",
            // ResNet-32 ANN 137.81M add (tables 137.79M), BNN 68.68M XNOR (tables 68.67M)
            "resnet32, adder, 443008, 137806464, 0",
            "resnet32, binary, 443008, 69124736, 68681728",
            // VGG-small: 607.6M (tables 0.65G); ANN and BNN: full-precision first and last 3.62M mul, 603.98M XNOR (tables 0.60G)
            "vgg-small, conv, 607600640, 607600640, 0",
            "vgg-small, adder, 3620864, 1211580416, 0",
            "vgg-small, binary, 3620864, 607600640, 603979776",
            // ResNet-18 ANN and ResNet-50 (stride on the 3x3 layer) ANN and BNN
            "resnet18, adder, 118525952, 3509620736, 0",
            "resnet50, adder, 120061952, 8058306560, 0",
            "resnet50, binary, 120061952, 4089184256, 3969122304",
            // LeNet-5-BN: 416.5K (the paper's ~435K); its AdderNet 833K add (~870K), all layers adder
            "lenet5, conv, 416520, 416520, 0",
            "lenet5, adder, 0, 833040, 0",
    })
    void countsOfTheCifarAndMnistNetworks(String model, String op, long mul, long add, long xnor) {
        OpCounter.Count c = count(model, op, false);
        assertThat(c.mul()).as("mul").isEqualTo(mul);
        assertThat(c.add()).as("add").isEqualTo(add);
        assertThat(c.xnor()).as("xnor").isEqualTo(xnor);
    }

    /**
     * SLAC's Table 1: the head in place of ResNet-20's fc (640 mul) adds 0.01M mul (0.45M to 0.46M). Ours: per class
     * 3 d + 1 mul and 3 d + 4 add on the 64-d feature (see SkewLaplaceHead), 1,930 mul: 0.443M to 0.444M.
     */
    @Test
    void slacHeadInPlaceOfTheLastLayer() {
        ModelConfig cfg = Models.standard("resnet20", "adder", null, 0, 0).withHead("slac");
        OpCounter.Count c = OpCounter.count(LayerTrace.of(Models.build(cfg, 0), cfg), false);
        assertThat(c.mul()).isEqualTo(443008 - 640 + 10 * (3 * 64 + 1));
        assertThat(c.add()).isEqualTo(81183360 - 640 + 10 * (3 * 64 + 4));
        assertThat(c.layers().getLast().name()).isEqualTo("head");
        assertThat(c.layers().getLast().op()).isEqualTo("slac");
        OpCounter.Count omitted = OpCounter.count(LayerTrace.of(Models.build(cfg, 0), cfg), true);
        assertThat(omitted.omitted()).containsExactly("conv1", "head");
        assertThat(omitted.mul()).isZero();
    }

    @Test
    void imageNetResNets() {
        // ResNet-18: 1.81G (tables 1.8G); ResNet-50 with the stride on the 3x3 layer: 4.09G (tables 3.9G, the original layout)
        assertThat(count("resnet18", "conv", false).mul()).isEqualTo(1_814_073_344L);
        OpCounter.Count r50 = count("resnet50", "conv", false);
        assertThat(r50.mul()).isEqualTo(4_089_184_256L);
        assertThat(r50.add()).isEqualTo(4_089_184_256L);
        // BNN ResNet-18: the full-precision stem and classifier 118.5M mul (tables 0.1G), 1.70G XNOR (tables 1.7G)
        OpCounter.Count bnn = count("resnet18", "binary", false);
        assertThat(bnn.mul()).isEqualTo(118_013_952L + 512_000L);
        assertThat(bnn.xnor()).isEqualTo(1_814_073_344L - 118_525_952L);
    }

    @Test
    void leNet5UnderTheConventionsTriedAgainstThePapers435K() {
        // The README's "where our counts differ": what each convention adds to our 416,520 multiplications.
        ModelConfig cfg = Models.standard("lenet5", "conv", null, 0, 0);
        LayerTrace trace = LayerTrace.of(Models.build(cfg, 0), cfg);
        long filterOutputs = 0, bnOutputs = 0, pooledOutputs = 0;
        for (LayerTrace.Entry e : trace.layers()) {
            long n = Shapes.numel(e.outputShape());
            if (OpCounter.isFilter(e.layer())) filterOutputs += n;
            if (e.layer() instanceof BatchNorm) bnOutputs += n;
            if (e.layer() instanceof Layers.MaxPool2d) pooledOutputs += n;
        }
        long macs = OpCounter.count(trace, false).mul();
        assertThat(macs).isEqualTo(416_520L);
        assertThat(filterOutputs).as("one bias addition each").isEqualTo(6_518L);
        assertThat(macs + bnOutputs).as("BatchNorm as one multiplication per output").isEqualTo(423_038L);
        assertThat(pooledOutputs).as("LeNet-5's trainable subsampling: one multiplication each").isEqualTo(1_576L);
        assertThat(macs + bnOutputs + pooledOutputs).isEqualTo(424_614L);
        assertThat(macs + filterOutputs + 2 * bnOutputs).as("profiler-style total").isEqualTo(436_074L);
    }

    @Test
    void resNet50WithTheStrideOnTheFirst1x1() {
        // The original layout runs the first 1x1 of layer2.0, layer3.0 and layer4.0 at the strided
        // resolution: a quarter of its MACs; the 3x3 after it keeps its output size, so its count is unchanged.
        long[] expected = {3_857_973_248L, 7_595_884_544L, 3_737_911_296L}; // CNN mul, ANN add, BNN XNOR
        String[] ops = {"conv", "adder", "binary"};
        for (int i = 0; i < ops.length; i++) {
            OpCounter.Count c = count("resnet50", ops[i], false);
            long moved = 0;
            for (OpCounter.Layer l : c.layers()) {
                if (l.name().matches("layer[234]\\.0\\.conv1")) moved += l.macs() / 4 * 3;
            }
            long counted = switch (ops[i]) {
                case "conv" -> c.mul() - moved;
                case "adder" -> c.add() - 2 * moved;
                default -> c.xnor() - moved;
            };
            assertThat(counted).as(ops[i]).isEqualTo(expected[i]);
        }
    }

    @Test
    void universalAdderNetsConventionLeavesOutFirstAndLast() {
        OpCounter.Count c = count("resnet20", "adder", true);
        assertThat(c.mul()).isZero();
        assertThat(c.add()).isEqualTo(80_740_352L); // 2 x 40.37M (the Universal AdderNets table: 82.34M = 2 x 41.17M)
        assertThat(c.omitted()).containsExactly("conv1", "fc");
        assertThat(c.layers()).hasSize(18 + 2); // 18 3x3 layers and 2 projections; conv1 and fc left out
    }

    @Test
    void latencyOfLeNet5() {
        // AdderNet Sec. 4.1: ~1.7M cycles for the AdderNet, ~2.6M for the CNN (from its ~435K MACs; 2.50M from our 416.5K)
        assertThat(CostModel.latencyCycles(count("lenet5", "adder", false))).isEqualTo(1_666_080L);
        assertThat(CostModel.latencyCycles(count("lenet5", "conv", false))).isEqualTo(2_499_120L);
    }

    @Test
    void energyFromHorowitzFigures() {
        OpCounter.Count conv = count("resnet20", "conv", false);
        assertThat(CostModel.energyPj(conv, CostModel.FP32)).isCloseTo(40_813_184 * (3.7 + 0.9), within(1.0));
        assertThat(CostModel.energyPj(conv, CostModel.INT8)).isCloseTo(40_813_184 * (0.2 + 0.03), within(1.0));
        OpCounter.Count bnn = count("resnet20", "binary", false);
        assertThat(CostModel.energyPj(bnn, CostModel.INT32))
                .isCloseTo(443_008 * 3.1 + 40_813_184 * 0.1 + 40_370_176 * CostModel.XNOR_PJ, within(1.0));
    }
}
