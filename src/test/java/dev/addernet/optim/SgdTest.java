package dev.addernet.optim;

import dev.addernet.kernel.ReferenceConv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.addernet.nn.Parameter;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sgd against steps of PyTorch's SGD worked out by hand (g' = g + wd * w; v = g' on the first step,
 * then v = mu * v + g'; step = nesterov ? g' + mu * v : v; w -= lr * step), and AdderNet's adaptive
 * learning-rate scaling of adder filters (g *= eta * sqrt(k) / ||g||, before weight decay and momentum).
 */
class SgdTest {
    private static final double TOL = 2e-6;

    private static Parameter param(boolean adder, float... values) {
        return new Parameter(new Tensor(values, values.length), adder);
    }

    private static void setGrad(Parameter p, float... g) {
        System.arraycopy(g, 0, p.grad(), 0, g.length);
    }

    private static Map<String, Parameter> named(Object... nameThenParam) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenParam.length; i += 2) m.put((String) nameThenParam[i], (Parameter) nameThenParam[i + 1]);
        return m;
    }

    private static void assertValues(Parameter p, double... expected) {
        assertThat(p.data).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) assertThat((double) p.data[i]).as("w[%d]", i).isCloseTo(expected[i], within(TOL));
    }

    @Test
    void plainSgd() {
        Parameter p = param(false, 1.0f, -2.0f);
        Sgd sgd = new Sgd(named("p", p), 0, false, 0, 0.1, true);
        setGrad(p, 0.5f, -1.0f);
        sgd.step(0.1);               // w - 0.1 g = (1 - 0.05, -2 + 0.1)
        assertValues(p, 0.95, -1.9);
        setGrad(p, 0.2f, 0.4f);
        sgd.step(0.1);               // (0.95 - 0.02, -1.9 - 0.04)
        assertValues(p, 0.93, -1.94);
        setGrad(p, -1.0f, 0.0f);
        sgd.step(0.1);               // (0.93 + 0.1, -1.94)
        assertValues(p, 1.03, -1.94);
        assertThat(sgd.velocity()).as("no momentum buffers without momentum").isEmpty();
    }

    @Test
    void learningRateIsTakenPerStep() {
        Parameter p = param(false, 1.0f);
        Sgd sgd = new Sgd(named("p", p), 0, false, 0, 0.1, true);
        setGrad(p, 2.0f);
        sgd.step(0.25);              // 1 - 0.5
        assertValues(p, 0.5);
        setGrad(p, 2.0f);
        sgd.step(0.05);              // 0.5 - 0.1
        assertValues(p, 0.4);
    }

    @Test
    void momentumFirstStepTakesTheGradientAndBuffersArePerParameter() {
        Parameter a = param(false, 1.0f), b = param(false, -1.0f);
        Sgd sgd = new Sgd(named("a", a, "b", b), 0.9, false, 0, 0.1, true);
        setGrad(a, 0.5f);
        setGrad(b, 1.0f);
        sgd.step(0.1);               // a: v = 0.5, w = 1 - 0.05;  b: v = 1, w = -1 - 0.1
        assertValues(a, 0.95);
        assertValues(b, -1.1);
        assertThat(sgd.velocity()).containsOnlyKeys("a", "b");
        assertThat(sgd.velocity().get("a")[0]).isCloseTo(0.5f, within(1e-7f));
        setGrad(a, 0.2f);
        setGrad(b, 1.0f);
        sgd.step(0.1);               // a: v = 0.45 + 0.2 = 0.65, w = 0.95 - 0.065;  b: v = 1.9, w = -1.1 - 0.19
        assertValues(a, 0.885);
        assertValues(b, -1.29);
        setGrad(a, -1.0f);
        setGrad(b, 1.0f);
        sgd.step(0.1);               // a: v = 0.585 - 1 = -0.415, w = 0.885 + 0.0415;  b: v = 2.71, w = -1.29 - 0.271
        assertValues(a, 0.9265);
        assertValues(b, -1.561);
    }

    @Test
    void nesterov() {
        Parameter p = param(false, 1.0f);
        Sgd sgd = new Sgd(named("p", p), 0.9, true, 0, 0.1, true);
        setGrad(p, 0.5f);
        sgd.step(0.1);               // v = 0.5, d = 0.5 + 0.45 = 0.95, w = 1 - 0.095
        assertValues(p, 0.905);
        setGrad(p, 0.2f);
        sgd.step(0.1);               // v = 0.65, d = 0.2 + 0.585 = 0.785, w = 0.905 - 0.0785
        assertValues(p, 0.8265);
        setGrad(p, -1.0f);
        sgd.step(0.1);               // v = -0.415, d = -1 - 0.3735 = -1.3735, w = 0.8265 + 0.13735
        assertValues(p, 0.96385);
    }

    @Test
    void nesterovNeedsMomentum() {
        assertThatThrownBy(() -> new Sgd(named("p", param(false, 1f)), 0, true, 0, 0.1, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void weightDecay() {
        Parameter p = param(false, 2.0f);
        Sgd sgd = new Sgd(named("p", p), 0, false, 0.01, 0.1, true);
        setGrad(p, 0.5f);
        sgd.step(0.1);               // g' = 0.5 + 0.02 = 0.52, w = 2 - 0.052
        assertValues(p, 1.948);
        setGrad(p, 0.0f);
        sgd.step(0.1);               // g' = 0.01948, w = 1.948 - 0.001948
        assertValues(p, 1.946052);
    }

    @Test
    void weightDecayMomentumAndNesterovTogether() {
        Parameter p = param(false, 1.0f);
        Sgd sgd = new Sgd(named("p", p), 0.9, true, 0.1, 0.1, true);
        setGrad(p, 0.2f);
        sgd.step(0.5);               // g' = 0.2 + 0.1 = 0.3, v = 0.3, d = 0.3 + 0.27 = 0.57, w = 1 - 0.285
        assertValues(p, 0.715);
        setGrad(p, -0.4f);
        sgd.step(0.5);               // g' = -0.4 + 0.0715 = -0.3285, v = 0.27 - 0.3285 = -0.0585,
        assertValues(p, 0.905575);   // d = -0.3285 - 0.05265 = -0.38115, w = 0.715 + 0.190575
    }

    @Test
    void parameterWithoutAGradientIsLeftAlone() {
        Parameter untouched = param(false, 3.0f), p = param(false, 1.0f);
        Sgd sgd = new Sgd(named("u", untouched, "p", p), 0.9, false, 0.5, 0.1, true);
        setGrad(p, 1.0f);
        sgd.step(0.1);               // p: g' = 1 + 0.5 = 1.5, w = 1 - 0.15
        assertValues(untouched, 3.0);
        assertValues(p, 0.85);
    }

    @Test
    void gradientsAreZeroedAfterStep() {
        Parameter a = param(false, 1f, 2f), b = param(true, 1f, 2f, 3f);
        Sgd sgd = new Sgd(named("a", a, "b", b), 0.9, false, 1e-4, 0.1, true);
        setGrad(a, 1f, -1f);
        setGrad(b, 0.5f, 0.25f, -2f);
        sgd.step(0.1);
        assertThat(a.grad()).containsOnly(0f);
        assertThat(b.grad()).containsOnly(0f);
    }

    // ------------------------------------------------------------------ adaptive learning rate

    @Test
    void adderUpdateIsScaledToEtaSqrtKOverNorm() {
        // k = 4, g = (3, 4, 0, 0), ||g|| = 5, eta = 0.2, lr = 0.5: update = 0.5 * 0.2 * 2 * g / 5 = 0.04 g
        Parameter adder = param(true, 0f, 0f, 0f, 0f), plain = param(false, 0f, 0f, 0f, 0f);
        Sgd sgd = new Sgd(named("adder", adder, "plain", plain), 0, false, 0, 0.2, true);
        setGrad(adder, 3f, 4f, 0f, 0f);
        setGrad(plain, 3f, 4f, 0f, 0f);
        sgd.step(0.5);
        assertValues(adder, -0.12, -0.16, 0, 0);
        assertValues(plain, -1.5, -2.0, 0, 0);   // non-adder parameter: lr * g, unscaled
    }

    @Test
    void adderUpdateFormulaOnARandomFilter() {
        Rng rng = new Rng(5);
        Tensor init = Tensor.zeros(4, 3, 3, 3);
        rng.fillGaussian(init.data, 1);
        float[] before = init.data.clone();
        Parameter w = new Parameter(init, true);
        float[] g = new float[w.numel()];
        rng.fillGaussian(g, 0.01);
        setGrad(w, g);
        double lr = 0.05, eta = 0.1, norm = 0;
        for (float v : g) norm += (double) v * v;
        norm = Math.sqrt(norm);
        new Sgd(named("w", w), 0, false, 0, eta, true).step(lr);
        double k = g.length;
        for (int i = 0; i < g.length; i++) {
            double expected = before[i] - lr * eta * Math.sqrt(k) * g[i] / norm;
            assertThat((double) w.data[i]).as("w[%d]", i).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void alrOffLeavesAdderGradientsUnscaled() {
        Parameter adder = param(true, 0f, 0f, 0f, 0f);
        Sgd sgd = new Sgd(named("adder", adder), 0, false, 0, 0.2, false);
        setGrad(adder, 3f, 4f, 0f, 0f);
        sgd.step(0.5);
        assertValues(adder, -1.5, -2.0, 0, 0);
    }

    @Test
    void zeroAdderGradientGivesNoNaN() {
        Parameter adder = param(true, 1f, -1f);
        Sgd sgd = new Sgd(named("adder", adder), 0.9, true, 0, 0.1, true);
        setGrad(adder, 0f, 0f);
        sgd.step(0.1);
        assertValues(adder, 1, -1);
        assertThat(sgd.velocity().get("adder")).containsOnly(0f);
    }

    @Test
    void scaleAdaptiveFloorsTheNorm() {
        float[] zero = new float[3];
        ReferenceConv.adaptiveLearningRate(zero, 0.1);
        assertThat(zero).containsOnly(0f);
        float[] tiny = {1e-20f, 0f};   // norm 1e-20 < 1e-12: scaled by eta * sqrt 2 / 1e-12
        ReferenceConv.adaptiveLearningRate(tiny, 0.1);
        assertThat((double) tiny[0]).isCloseTo(1e-20 * 0.1 * Math.sqrt(2) / 1e-12, within(1e-15));
    }

    @Test
    void alrComesBeforeWeightDecayAndMomentum() {
        // k = 2, eta = 0.1, wd = 0.01, mu = 0.9, lr = 1, w = (1, 1).
        // step 1: g = (0, 2), ||g|| = 2 -> g = (0, 0.1 * sqrt 2) = (0, 0.14142136); g' = (0.01, 0.15142136);
        //         v = g'; w = (0.99, 0.84857864)
        // step 2: g = (1, 0) -> (0.14142136, 0); g' = (0.14142136 + 0.0099, 0.0084857864)
        //         v = 0.9 * (0.01, 0.15142136) + g' = (0.16032136, 0.14476501); w = (0.82967864, 0.70381364)
        Parameter adder = param(true, 1f, 1f);
        Sgd sgd = new Sgd(named("adder", adder), 0.9, false, 0.01, 0.1, true);
        setGrad(adder, 0f, 2f);
        sgd.step(1.0);
        assertValues(adder, 0.99, 0.8485786438);
        setGrad(adder, 1f, 0f);
        sgd.step(1.0);
        assertValues(adder, 0.8296786438, 0.7038136367);
    }

    @Test
    void parameterGroupsScaleTheRateAndSetTheirOwnWeightDecayAndAlr() {
        // the same parameter and gradient in three groups: the optimiser's rules, lr x 0.01 with no decay, ALR off
        Parameter base = param(true, 1.0f, -2.0f), slow = param(true, 1.0f, -2.0f), plain = param(true, 1.0f, -2.0f);
        Sgd sgd = new Sgd(java.util.List.of(ParameterGroup.of("network", named("base", base)),
                ParameterGroup.of("sigma", named("slow", slow)).withLrScale(0.01).withWeightDecay(0),
                ParameterGroup.of("teacher", named("plain", plain)).withAlr(false)), 0, false, 0.1, 0.2, true);
        for (Parameter p : new Parameter[] {base, slow, plain}) setGrad(p, 0.3f, 0.4f);
        sgd.step(0.5);
        // ALR: g -> 0.2 * sqrt(2) * g / 0.5 = (0.16971, 0.22627); decay 0.1 w = (0.1, -0.2)
        double a0 = 0.2 * Math.sqrt(2) * 0.3 / 0.5, a1 = 0.2 * Math.sqrt(2) * 0.4 / 0.5;
        assertValues(base, 1 - 0.5 * (a0 + 0.1), -2 - 0.5 * (a1 - 0.2));
        assertValues(slow, 1 - 0.005 * a0, -2 - 0.005 * a1);
        assertValues(plain, 1 - 0.5 * (0.3 + 0.1), -2 - 0.5 * (0.4 - 0.2));
        assertThat(sgd.parameters()).containsOnlyKeys("base", "slow", "plain");
    }

    @Test
    void aParameterInTwoGroupsIsRefused() {
        Parameter p = param(false, 1f);
        assertThatThrownBy(() -> new Sgd(java.util.List.of(ParameterGroup.of("a", named("w", p)), ParameterGroup.of("b", named("w", p))),
                0, false, 0, 0.1, true)).hasMessageContaining("'w'").hasMessageContaining("'a'").hasMessageContaining("'b'");
        assertThatThrownBy(() -> ParameterGroup.of("g", named("w", p)).withLrScale(0)).hasMessageContaining("'g'");
        assertThatThrownBy(() -> ParameterGroup.of("g", named("w", p)).withWeightDecay(-1)).hasMessageContaining("'g'");
    }
}
