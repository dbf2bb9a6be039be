package dev.addernet.nn;

import dev.addernet.kernel.Op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.addernet.autograd.CrossEntropy;
import dev.addernet.autograd.Tape;
import dev.addernet.nn.Layers.Flatten;
import dev.addernet.nn.Layers.ReLU;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {

    /** conv1, bn1, relu, layer1.0.{conv1, bn1}, flatten, fc: PyTorch-like nesting. */
    private static Sequential net(Rng rng) {
        Sequential block = new Sequential()
                .add("conv1", new Conv2d(Op.ADDER, 3, 3, 3, 1, 1, false, rng))
                .add("bn1", new BatchNorm(3));
        return new Sequential()
                .add("conv1", new Conv2d(Op.CONV, 2, 3, 3, 1, 1, true, rng))
                .add("bn1", new BatchNorm(3))
                .add("relu", new ReLU())
                .add("layer1", new Sequential().add("0", block))
                .add("flatten", new Flatten())
                .add("fc", new Linear(Op.ADDER, 3 * 4 * 4, 5, false, rng));
    }

    @Test
    void stateNamesAreDottedPathsInDefinitionOrder() {
        Sequential net = net(new Rng(1));
        assertThat(net.state().keySet()).containsExactly(
                "conv1.weight", "conv1.bias",
                "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "layer1.0.conv1.weight",
                "layer1.0.bn1.weight", "layer1.0.bn1.bias", "layer1.0.bn1.running_mean", "layer1.0.bn1.running_var",
                "fc.weight");
        assertThat(net.parameters().keySet()).containsExactly(
                "conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias",
                "layer1.0.conv1.weight", "layer1.0.bn1.weight", "layer1.0.bn1.bias", "fc.weight");
        assertThat(net.parameterCount()).isEqualTo(3 * 2 * 9 + 3 + 3 + 3 + 3 * 3 * 9 + 3 + 3 + 5 * 48);
        assertThat(net.state().get("conv1.weight").shape()).containsExactly(3, 2, 3, 3);
        assertThat(net.state().get("fc.weight").shape()).containsExactly(5, 48);
        assertThat(net.state().get("layer1.0.bn1.running_var").data).containsOnly(1f);
        assertThat(net.state().get("bn1.running_mean").data).containsOnly(0f);
    }

    @Test
    void onlyAdderFiltersAreMarkedForAdaptiveScaling() {
        Map<String, Parameter> ps = net(new Rng(2)).parameters();
        List<String> adder = new ArrayList<>();
        ps.forEach((k, p) -> { if (p.isAdder()) adder.add(k); });
        assertThat(adder).containsExactly("layer1.0.conv1.weight", "fc.weight");
        assertThat(ps.values()).allMatch(Tensor::requiresGrad);
    }

    @Test
    void parametersAreTheLayersLiveTensors() {
        Sequential net = net(new Rng(3));
        Tensor x = Tensor.zeros(2, 2, 4, 4);
        new Rng(4).fillGaussian(x.data, 1);
        Tensor y = net.forward(x);
        assertThat(y.shape()).containsExactly(2, 5);
        // changing the fc weights through the state map changes the output
        Tensor fcW = net.state().get("fc.weight");
        for (int i = 0; i < fcW.data.length; i++) fcW.data[i] += 1f;
        Tensor y2 = net.forward(x);
        assertThat(y2.data).isNotEqualTo(y.data);
    }

    private static List<Module> walk(Module m) {
        List<Module> out = new ArrayList<>();
        out.add(m);
        for (Module c : m.children().values()) out.addAll(walk(c));
        return out;
    }

    @Test
    void trainFlagPropagatesToEveryDescendant() {
        Sequential net = net(new Rng(5));
        List<Module> all = walk(net);
        // net, its 6 children, layer1.0 and its 2 children
        assertThat(all).hasSize(10).allMatch(Module::isTraining);
        assertThat(net.train(false)).isSameAs(net);
        assertThat(all).noneMatch(Module::isTraining);
        net.train(true);
        assertThat(all).allMatch(Module::isTraining);
        // switching a sub-tree leaves the rest alone
        net.children().get("layer1").train(false);
        assertThat(net.isTraining()).isTrue();
        assertThat(net.children().get("bn1").isTraining()).isTrue();
        assertThat(net.children().get("layer1").children().get("0").children().get("bn1").isTraining()).isFalse();
    }

    // --------------------------------------------------------------------- BatchNorm statistics

    @Test
    void batchNormRunningStatisticsUseMomentumAndUnbiasedVariance() {
        BatchNorm bn = new BatchNorm(2);
        Tensor mean = bn.state().get("running_mean"), var = bn.state().get("running_var");
        // [N = 4, C = 2]: channel 0 = (1, 2, 3, 4), channel 1 = (2, 2, 2, 6)
        Tensor x = new Tensor(new float[] {1, 2, 2, 2, 3, 2, 4, 6}, 4, 2);
        Tensor y = bn.forward(x);
        // ch 0: mean 2.5, sum sq dev 5, biased var 1.25, unbiased 5/3
        // ch 1: mean 3,   sum sq dev 12, biased var 3,   unbiased 4
        assertThat(mean.data[0]).isCloseTo(0.25f, within(1e-6f));             // 0.9 * 0 + 0.1 * 2.5
        assertThat(mean.data[1]).isCloseTo(0.3f, within(1e-6f));              // 0.1 * 3
        assertThat((double) var.data[0]).isCloseTo(0.9 + 0.1 * 5.0 / 3, within(1e-6));
        assertThat(var.data[1]).isCloseTo(1.3f, within(1e-6f));               // 0.9 * 1 + 0.1 * 4
        // training output normalises with the batch statistics and the biased variance
        double s1 = Math.sqrt(3 + 1e-5);
        double[] expectCh1 = {-1 / s1, -1 / s1, -1 / s1, 3 / s1};
        for (int i = 0; i < 4; i++) assertThat((double) y.data[2 * i + 1]).isCloseTo(expectCh1[i], within(1e-5));
        assertThat((double) y.data[0]).isCloseTo(-1.5 / Math.sqrt(1.25 + 1e-5), within(1e-5));

        bn.forward(x);
        assertThat(mean.data[0]).isCloseTo(0.475f, within(1e-6f));            // 0.9 * 0.25 + 0.25
        assertThat(mean.data[1]).isCloseTo(0.57f, within(1e-6f));             // 0.9 * 0.3 + 0.3
        assertThat((double) var.data[0]).isCloseTo(0.9 * (0.9 + 0.5 / 3) + 0.5 / 3, within(1e-6));
        assertThat(var.data[1]).isCloseTo(1.57f, within(1e-6f));              // 0.9 * 1.3 + 0.4
    }

    @Test
    void batchNorm2dStatisticsPoolOverBatchAndSpace() {
        BatchNorm bn = new BatchNorm(1);
        // [2, 1, 2, 2] holding 0..7: mean 3.5, sum sq dev 42 over 8 values: unbiased 6
        float[] v = {0, 1, 2, 3, 4, 5, 6, 7};
        bn.forward(new Tensor(v, 2, 1, 2, 2));
        assertThat(bn.state().get("running_mean").data[0]).isCloseTo(0.35f, within(1e-6f));
        assertThat(bn.state().get("running_var").data[0]).isCloseTo(1.5f, within(1e-6f));  // 0.9 + 0.6
    }

    @Test
    void batchNormEvalUsesRunningStatisticsAndLeavesThemAlone() {
        BatchNorm bn = new BatchNorm(2);
        Map<String, Tensor> st = bn.state();
        st.get("running_mean").data[0] = 1f;
        st.get("running_mean").data[1] = -2f;
        st.get("running_var").data[0] = 4f;
        st.get("running_var").data[1] = 0.25f;
        st.get("weight").data[1] = 3f;
        st.get("bias").data[0] = 0.5f;
        bn.train(false);
        Tensor x = new Tensor(new float[] {3, -1, 5, -2}, 2, 2);
        Tensor y;
        try (Tape tape = Tape.open()) {
            y = bn.forward(x);
        }
        assertThat((double) y.data[0]).isCloseTo((3 - 1) / Math.sqrt(4 + 1e-5) + 0.5, within(1e-5));
        assertThat((double) y.data[1]).isCloseTo(3 * (-1 + 2) / Math.sqrt(0.25 + 1e-5), within(1e-5));
        assertThat((double) y.data[2]).isCloseTo((5 - 1) / Math.sqrt(4 + 1e-5) + 0.5, within(1e-5));
        assertThat((double) y.data[3]).isCloseTo(0, within(1e-5));
        assertThat(st.get("running_mean").data).containsExactly(1f, -2f);
        assertThat(st.get("running_var").data).containsExactly(4f, 0.25f);
        // eval output of a sample does not depend on the rest of the batch
        Tensor one = bn.forward(new Tensor(new float[] {3, -1}, 1, 2));
        assertThat(one.data).containsExactly(y.data[0], y.data[1]);
    }

    // --------------------------------------------------------------------- Linear

    @Test
    void adderLinearIsNegativeL1DistancePerOutput() {
        Linear fc = new Linear(Op.ADDER, 3, 2, false, new Rng(6));
        float[] w = fc.parameters().get("weight").data;
        System.arraycopy(new float[] {1, -1, 0.5f, 0, 2, -3}, 0, w, 0, 6);
        Tensor x = new Tensor(new float[] {0.5f, 0.5f, 0.5f, -1, 2, 3}, 2, 3);
        Tensor y = fc.forward(x);
        assertThat(y.shape()).containsExactly(2, 2);
        // y[n][o] = -sum_i |x[n][i] - w[o][i]|
        assertThat(y.data[0]).isCloseTo(-(0.5f + 1.5f + 0f), within(1e-6f));
        assertThat(y.data[1]).isCloseTo(-(0.5f + 1.5f + 3.5f), within(1e-6f));
        assertThat(y.data[2]).isCloseTo(-(2f + 3f + 2.5f), within(1e-6f));
        assertThat(y.data[3]).isCloseTo(-(1f + 0f + 6f), within(1e-6f));
        assertThat(fc.parameters()).containsOnlyKeys("weight");
    }

    @Test
    void adderLinearOnRandomValues() {
        Rng rng = new Rng(7);
        Linear fc = new Linear(Op.ADDER, 20, 7, false, rng);
        float[] w = fc.parameters().get("weight").data;
        Tensor x = Tensor.zeros(3, 20);
        rng.fillGaussian(x.data, 1);
        Tensor y = fc.forward(x);
        for (int n = 0; n < 3; n++) for (int o = 0; o < 7; o++) {
            double d = 0;
            for (int i = 0; i < 20; i++) d += Math.abs(x.data[n * 20 + i] - w[o * 20 + i]);
            assertThat((double) y.data[n * 7 + o]).as("y[%d][%d]", n, o).isCloseTo(-d, within(1e-4));
        }
    }

    @Test
    void adderLinearWeightGradientReachesTheParameter() {
        // the weight goes through a reshape view: its gradient must land in the Parameter's buffer
        Linear fc = new Linear(Op.ADDER, 3, 2, false, new Rng(8));
        Parameter weight = fc.parameters().get("weight");
        System.arraycopy(new float[] {1, -1, 0.5f, 0, 2, -3}, 0, weight.data, 0, 6);
        Tensor x = new Tensor(new float[] {0.5f, 0.5f, 0.5f, -1, 2, 3}, 2, 3);
        try (Tape tape = Tape.open()) {
            // label o for every row: dL/dy = (softmax - onehot) / 2
            tape.backward(CrossEntropy.forward(fc.forward(x), new int[] {0, 0}));
        }
        // y = (-2, -5.5 | -7.5, -7); softmax of each row
        double[][] yv = {{-2, -5.5}, {-7.5, -7}};
        double[][] g = new double[2][2];
        for (int n = 0; n < 2; n++) {
            double z = Math.exp(yv[n][0]) + Math.exp(yv[n][1]);
            for (int o = 0; o < 2; o++) g[n][o] = (Math.exp(yv[n][o]) / z - (o == 0 ? 1 : 0)) / 2;
        }
        float[] xv = x.data, wv = weight.data;
        for (int o = 0; o < 2; o++) for (int i = 0; i < 3; i++) {
            double expected = 0;     // sum_n (x - w) * g
            for (int n = 0; n < 2; n++) expected += (xv[n * 3 + i] - wv[o * 3 + i]) * g[n][o];
            assertThat((double) weight.grad()[o * 3 + i]).as("dW[%d][%d]", o, i).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void convLinearIsAffine() {
        Linear fc = new Linear(Op.CONV, 3, 2, true, new Rng(9));
        System.arraycopy(new float[] {1, -1, 0.5f, 0, 2, -3}, 0, fc.parameters().get("weight").data, 0, 6);
        System.arraycopy(new float[] {0.25f, -1}, 0, fc.parameters().get("bias").data, 0, 2);
        Tensor y = fc.forward(new Tensor(new float[] {1, 2, 4}, 1, 3));
        assertThat(y.data[0]).isCloseTo(1 - 2 + 2 + 0.25f, within(1e-6f));
        assertThat(y.data[1]).isCloseTo(0 + 4 - 12 - 1, within(1e-6f));
        assertThat(fc.parameters().get("weight").isAdder()).isFalse();
    }

    @Test
    void adderLayersRejectABias() {
        assertThatThrownBy(() -> new Linear(Op.ADDER, 3, 2, true, new Rng(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Conv2d(Op.ADDER, 3, 2, 3, 1, 1, true, new Rng(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modulesAreListedByDottedPathEachBeforeItsChildren() {
        Sequential inner = new Sequential().add("0", new BatchNorm(2)).add("1", new BatchNorm(2));
        Sequential net = new Sequential().add("bn", new BatchNorm(2)).add("block", inner);
        assertThat(net.modules().keySet()).containsExactly("bn", "block", "block.0", "block.1");
        assertThat(net.modules().get("block.1")).isSameAs(inner.children().get("1"));
    }
}
