package dev.addernet.autograd;

import static dev.addernet.autograd.GradCheck.assertClose;
import static dev.addernet.autograd.GradCheck.dot;
import static dev.addernet.autograd.GradCheck.numeric;
import static dev.addernet.autograd.GradCheck.weightedSum;
import static dev.addernet.autograd.GradCheck.weights;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.kernel.Op;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adder op (Conv with {@link Op#ADDER}) against the papers' formulas, computed here directly:
 * forward Y = -sum |X - W| (AdderNet Eq. 2), weight gradient sum (X - W) * G (Universal AdderNets
 * Eq. 23; padded taps count as X = 0), input gradient sum HardTanh(W - X) * G (AdderNet Eq. 5-6;
 * padded taps dropped). Its backward is deliberately not the true gradient, except for the input
 * where every |W - X| >= 1 (there HardTanh(W - X) = sign(W - X), the true derivative).
 */
class AdderGradientTest {

    /** Geometry of one case; taps at padding read X = 0. */
    record Geo(int n, int c, int h, int w, int m, int k, int stride, int pad) {
        int oh() { return (h + 2 * pad - k) / stride + 1; }
        int ow() { return (w + 2 * pad - k) / stride + 1; }
        int xAt(int i, int ch, int iy, int ix) { return ((i * c + ch) * h + iy) * w + ix; }
        int wAt(int f, int ch, int ky, int kx) { return ((f * c + ch) * k + ky) * k + kx; }
        int yAt(int i, int f, int oy, int ox) { return ((i * m + f) * oh() + oy) * ow() + ox; }
        boolean inside(int iy, int ix) { return iy >= 0 && iy < h && ix >= 0 && ix < w; }
        @Override public String toString() {
            return "n" + n + " c" + c + " " + h + "x" + w + " m" + m + " k" + k + " s" + stride + " p" + pad;
        }
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new Geo(2, 3, 5, 5, 4, 3, 1, 0)),
                Arguments.of(new Geo(2, 3, 5, 5, 4, 3, 1, 1)),
                Arguments.of(new Geo(2, 3, 6, 6, 4, 3, 2, 0)),
                Arguments.of(new Geo(2, 3, 6, 6, 4, 3, 2, 1)),
                Arguments.of(new Geo(1, 2, 7, 5, 9, 3, 2, 1)),
                Arguments.of(new Geo(3, 5, 4, 4, 6, 1, 2, 0)),
                Arguments.of(new Geo(2, 2, 6, 6, 3, 5, 1, 2)),
                Arguments.of(new Geo(4, 7, 1, 1, 5, 1, 1, 0)));
    }

    /** -sum over the patch of |X - W|, padded X = 0 (AdderNet Eq. 2). */
    static double[] forwardFormula(Geo g, float[] x, float[] w) {
        double[] y = new double[g.n() * g.m() * g.oh() * g.ow()];
        for (int i = 0; i < g.n(); i++) for (int f = 0; f < g.m(); f++) for (int oy = 0; oy < g.oh(); oy++) for (int ox = 0; ox < g.ow(); ox++) {
            double acc = 0;
            for (int ch = 0; ch < g.c(); ch++) for (int ky = 0; ky < g.k(); ky++) for (int kx = 0; kx < g.k(); kx++) {
                int iy = oy * g.stride() - g.pad() + ky, ix = ox * g.stride() - g.pad() + kx;
                double xv = g.inside(iy, ix) ? x[g.xAt(i, ch, iy, ix)] : 0;
                acc -= Math.abs(xv - w[g.wAt(f, ch, ky, kx)]);
            }
            y[g.yAt(i, f, oy, ox)] = acc;
        }
        return y;
    }

    /** {dL/dX by sum HardTanh(W - X) G (padded dropped), dL/dW by sum (X - W) G (padded X = 0)}. */
    static double[][] backwardFormula(Geo g, float[] x, float[] w, double[] gy) {
        double[] gx = new double[x.length], gw = new double[w.length];
        for (int i = 0; i < g.n(); i++) for (int f = 0; f < g.m(); f++) for (int oy = 0; oy < g.oh(); oy++) for (int ox = 0; ox < g.ow(); ox++) {
            double go = gy[g.yAt(i, f, oy, ox)];
            for (int ch = 0; ch < g.c(); ch++) for (int ky = 0; ky < g.k(); ky++) for (int kx = 0; kx < g.k(); kx++) {
                int iy = oy * g.stride() - g.pad() + ky, ix = ox * g.stride() - g.pad() + kx;
                int wi = g.wAt(f, ch, ky, kx);
                boolean in = g.inside(iy, ix);
                double xv = in ? x[g.xAt(i, ch, iy, ix)] : 0;
                gw[wi] += (xv - w[wi]) * go;
                if (in) gx[g.xAt(i, ch, iy, ix)] += Math.max(-1, Math.min(1, w[wi] - xv)) * go;
            }
        }
        return new double[][] {gx, gw};
    }

    private static Tensor[] inputs(Geo g, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.zeros(g.n(), g.c(), g.h(), g.w()), w = Tensor.zeros(g.m(), g.c(), g.k(), g.k());
        rng.fillGaussian(x.data, 1);
        rng.fillGaussian(w.data, 1);
        return new Tensor[] {x, w};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void forwardIsNegativeL1Distance(Geo g) {
        Tensor[] xw = inputs(g, g.hashCode());
        Tensor y = Conv.forward(Op.ADDER, xw[0], xw[1], null, g.stride(), g.pad());
        assertThat(y.shape()).containsExactly(g.n(), g.m(), g.oh(), g.ow());
        assertClose("adder forward", y.data, forwardFormula(g, xw[0].data, xw[1].data), 1e-5);
        for (float v : y.data) assertThat(v).isLessThanOrEqualTo(0f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void backwardFollowsThePapers(Geo g) {
        Tensor[] xw = inputs(g, g.hashCode() + 1L);
        Tensor x = xw[0].requiresGrad(true), w = xw[1].requiresGrad(true);
        double[] r = weights(g.hashCode() + 2L, g.n() * g.m() * g.oh() * g.ow());
        try (Tape tape = Tape.open()) {
            tape.backward(weightedSum(Conv.forward(Op.ADDER, x, w, null, g.stride(), g.pad()), r));
        }
        double[][] expected = backwardFormula(g, x.data, w.data, r);
        assertClose("adder input gradient (HardTanh)", x.grad(), expected[0], 1e-5);
        assertClose("adder weight gradient (full precision)", w.grad(), expected[1], 1e-5);
    }

    @Test
    void onlyTheRequestedGradientIsComputed() {
        Geo g = new Geo(2, 3, 5, 5, 4, 3, 2, 1);
        Tensor[] xw = inputs(g, 77);
        Tensor x = xw[0], w = xw[1].requiresGrad(true);
        double[] r = weights(78, g.n() * g.m() * g.oh() * g.ow());
        try (Tape tape = Tape.open()) {
            tape.backward(weightedSum(Conv.forward(Op.ADDER, x, w, null, g.stride(), g.pad()), r));
        }
        assertThat(x.hasGrad()).isFalse();
        assertClose("adder weight gradient alone", w.grad(), backwardFormula(g, x.data, w.data, r)[1], 1e-5);
    }

    @Test
    void gradientsAccumulateOverTwoUses() {
        // the same filter applied to two inputs: its gradient is the sum of both uses'
        Geo g = new Geo(1, 2, 4, 4, 3, 3, 1, 1);
        Rng rng = new Rng(80);
        Tensor a = Tensor.zeros(1, 2, 4, 4), b = Tensor.zeros(1, 2, 4, 4), w = Tensor.zeros(3, 2, 3, 3);
        rng.fillGaussian(a.data, 1);
        rng.fillGaussian(b.data, 1);
        rng.fillGaussian(w.data, 1);
        w.requiresGrad(true);
        int outs = g.m() * g.oh() * g.ow();
        double[] r = weights(81, outs);
        try (Tape tape = Tape.open()) {
            Tensor sum = Add.forward(Conv.forward(Op.ADDER, a, w, null, 1, 1), Conv.forward(Op.ADDER, b, w, null, 1, 1));
            tape.backward(weightedSum(sum, r));
        }
        double[] ga = backwardFormula(g, a.data, w.data, r)[1], gb = backwardFormula(g, b.data, w.data, r)[1];
        double[] expected = new double[ga.length];
        for (int i = 0; i < ga.length; i++) expected[i] = ga[i] + gb[i];
        assertClose("accumulated adder weight gradient", w.grad(), expected, 1e-5);
    }

    /** Inputs in [-0.5, 0.5], weights at +-[1.6, 2.1]: every |W - X| is above 1.1, as are padded taps'. */
    private static Tensor[] farApart(Geo g, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.zeros(g.n(), g.c(), g.h(), g.w()), w = Tensor.zeros(g.m(), g.c(), g.k(), g.k());
        rng.fillUniform(x.data, -0.5, 0.5);
        for (int i = 0; i < w.data.length; i++) {
            w.data[i] = (float) ((rng.nextDouble() < 0.5 ? -1 : 1) * (1.6 + 0.5 * rng.nextDouble()));
        }
        return new Tensor[] {x, w};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void inputGradientIsTheTrueDerivativeWhereHardTanhSaturates(Geo g) {
        // HardTanh(W - X) = sign(W - X) = d(-|X - W|)/dX wherever |W - X| >= 1. (Where |W - X| < 1 it is
        // W - X instead, which is not the derivative of the forward.) The forward is linear in X within
        // 0.05 of these inputs, so central differences of the float forward are exact up to rounding.
        Tensor[] xw = farApart(g, g.hashCode() + 3L);
        Tensor x = xw[0].requiresGrad(true), w = xw[1];
        double[] r = weights(g.hashCode() + 4L, g.n() * g.m() * g.oh() * g.ow());
        try (Tape tape = Tape.open()) {
            tape.backward(weightedSum(Conv.forward(Op.ADDER, x, w, null, g.stride(), g.pad()), r));
        }
        double[] fd = numeric(x.data, () -> dot(r, Conv.forward(Op.ADDER, x, w, null, g.stride(), g.pad()).data), 0.05);
        assertClose("adder input gradient vs finite differences (|W - X| > 1)", x.grad(), fd, 1e-3);
    }

    @Test
    void inputGradientIsNotTheTrueDerivativeInsideTheClip() {
        // |W - X| < 1 everywhere: the input gradient is the clipped W - X, not sign(W - X)
        Geo g = new Geo(1, 2, 4, 4, 3, 3, 1, 0);
        Rng rng = new Rng(90);
        Tensor x = Tensor.zeros(1, 2, 4, 4), w = Tensor.zeros(3, 2, 3, 3);
        rng.fillUniform(x.data, 0.5, 0.9);  // X - W in (0.1, 0.9): sign(W - X) = -1 everywhere
        rng.fillUniform(w.data, 0.0, 0.4);
        x.requiresGrad(true);
        double[] r = weights(91, g.m() * g.oh() * g.ow());
        try (Tape tape = Tape.open()) {
            tape.backward(weightedSum(Conv.forward(Op.ADDER, x, w, null, 1, 0), r));
        }
        double[] fd = numeric(x.data, () -> dot(r, Conv.forward(Op.ADDER, x, w, null, 1, 0).data), 0.02);
        assertClose("adder input gradient (HardTanh, inside the clip)", x.grad(), backwardFormula(g, x.data, w.data, r)[0], 1e-5);
        double diff = 0, max = 0;
        for (int i = 0; i < fd.length; i++) {
            diff = Math.max(diff, Math.abs(x.grad()[i] - fd[i]));
            max = Math.max(max, Math.abs(fd[i]));
        }
        assertThat(diff).as("HardTanh gradient should differ from the true derivative").isGreaterThan(0.1 * max);
    }

    @Test
    void weightGradientIsFullPrecisionNotSign() {
        // one 1x1 tap: y = -|x - w| with x = 3, w = 0.5, upstream 2: dL/dw = (x - w) * 2 = 5, while the
        // true derivative would be sign(x - w) * 2 = 2; dL/dx = HardTanh(w - x) * 2 = -2.
        Tensor x = new Tensor(new float[] {3f}, 1, 1, 1, 1).requiresGrad(true);
        Tensor w = new Tensor(new float[] {0.5f}, 1, 1, 1, 1).requiresGrad(true);
        try (Tape tape = Tape.open()) {
            Tensor y = Conv.forward(Op.ADDER, x, w, null, 1, 0);
            assertThat(y.data[0]).isEqualTo(-2.5f);
            tape.backward(weightedSum(y, new double[] {2}));
        }
        assertThat(w.grad()[0]).isEqualTo(5f);
        assertThat(x.grad()[0]).isEqualTo(-2f);
    }

    @Test
    void paddedTapsCountAsZeroInTheWeightGradient() {
        // 1x1 input, k3 pad 1: only the centre tap sees x; the eight others see padding (x = 0), so their
        // weight gradient is (0 - w) * g, and the input gets only the centre's HardTanh term.
        Tensor x = new Tensor(new float[] {0.25f}, 1, 1, 1, 1).requiresGrad(true);
        float[] wv = {0.1f, -0.2f, 0.3f, -0.4f, 1.0f, 0.6f, -0.7f, 0.8f, -0.9f};
        Tensor w = new Tensor(wv.clone(), 1, 1, 3, 3).requiresGrad(true);
        try (Tape tape = Tape.open()) {
            Tensor y = Conv.forward(Op.ADDER, x, w, null, 1, 1);
            assertThat(y.shape()).containsExactly(1, 1, 1, 1);
            double expectY = -0.75;
            for (int i = 0; i < 9; i++) if (i != 4) expectY -= Math.abs(wv[i]);
            assertThat((double) y.data[0]).isCloseTo(expectY, org.assertj.core.data.Offset.offset(1e-6));
            tape.backward(weightedSum(y, new double[] {-3}));
        }
        for (int i = 0; i < 9; i++) {
            double xv = i == 4 ? 0.25 : 0;
            assertThat((double) w.grad()[i]).as("w[%d]", i).isCloseTo((xv - wv[i]) * -3, org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat((double) x.grad()[0]).isCloseTo(0.75 * -3, org.assertj.core.data.Offset.offset(1e-6));
    }
}
