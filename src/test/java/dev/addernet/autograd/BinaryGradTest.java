package dev.addernet.autograd;

import static dev.addernet.autograd.GradCheck.assertClose;
import static dev.addernet.autograd.GradCheck.dot;
import static dev.addernet.autograd.GradCheck.numeric;
import static dev.addernet.autograd.GradCheck.randn;
import static dev.addernet.autograd.GradCheck.weightedSum;
import static dev.addernet.autograd.GradCheck.weights;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The XNOR-Net ops against their formulas. sign has a zero derivative almost everywhere, so a finite
 * difference of the op itself says nothing about the straight-through estimator; instead each backward is
 * checked (a) against the formula written out here and (b) against finite differences of the surrogate
 * the estimator stands for: HardTanh(x) = clamp(x, -1, 1) in place of sign, and for the binary weight
 * alpha(w) * sign(w) differenced in alpha with the signs fixed, plus alpha times the HardTanh surrogate.
 * Inputs are drawn with std 1.5 so that both sides of |x| = 1 occur, and kept away from 0 and +-1.
 */
class BinaryGradTest {

    private static Tensor awayFromKinks(Rng rng, int... shape) {
        Tensor t = randn(rng, 1.5, shape);
        for (int i = 0; i < t.data.length; i++) {
            float v = t.data[i], a = Math.abs(v);
            if (a < 0.05f || Math.abs(a - 1) < 0.05f) t.data[i] = Math.copySign(a + 0.1f, v);
        }
        return t;
    }

    private static double hardTanh(double x) {
        return Math.max(-1, Math.min(1, x));
    }

    @Test
    void signForwardIsPlusMinusOneWithZeroPositive() {
        Tensor y = Sign.forward(new Tensor(new float[] {-2f, -0.1f, 0f, 0.3f, 5f}, 5));
        assertThat(y.data).containsExactly(-1f, -1f, 1f, 1f, 1f);
    }

    @Test
    void signBackwardIsTheStraightThroughEstimator() {
        Rng rng = new Rng(11);
        Tensor x = awayFromKinks(rng, 2, 3, 4, 4);
        double[] r = weights(12, x.numel());
        x.requiresGrad(true);
        try (Tape tape = Tape.open()) {
            tape.backward(weightedSum(Sign.forward(x), r));
        }
        // the formula: r_i where |x_i| <= 1, else 0
        double[] formula = new double[r.length];
        int passed = 0, blocked = 0;
        for (int i = 0; i < r.length; i++) {
            boolean pass = Math.abs(x.data[i]) <= 1;
            formula[i] = pass ? r[i] : 0;
            if (pass) passed++; else blocked++;
        }
        assertThat(passed).as("some inputs inside [-1, 1]").isPositive();
        assertThat(blocked).as("some inputs outside [-1, 1]").isPositive();
        assertClose("sign STE against its formula", x.grad(), formula, 1e-6);
        // the surrogate: d/dx sum r_i HardTanh(x_i)
        double[] numeric = numeric(x.data, (double[] xs) -> {
            double s = 0;
            for (int i = 0; i < xs.length; i++) s += r[i] * hardTanh(xs[i]);
            return s;
        }, 1e-3);
        assertClose("sign STE against the HardTanh surrogate", x.grad(), numeric, 1e-6);
    }

    @Test
    void binaryWeightForwardIsAlphaTimesSignPerOutputChannel() {
        Tensor w = new Tensor(new float[] {1f, -3f, 0f, 2f, /* channel 2 */ -0.5f, -0.5f, 1f, 2f}, 2, 4);
        Tensor b = BinaryWeight.forward(w);
        assertThat(b.data).containsExactly(1.5f, -1.5f, 1.5f, 1.5f, -1f, -1f, 1f, 1f);
    }

    @Test
    void binaryWeightBackwardFollowsXnorNetsChainRule() {
        Rng rng = new Rng(21);
        Tensor w = awayFromKinks(rng, 4, 3, 3, 3);
        int m = 4, n = 27;
        double[] r = weights(22, w.numel());
        w.requiresGrad(true);
        try (Tape tape = Tape.open()) {
            tape.backward(weightedSum(BinaryWeight.forward(w), r));
        }
        // the formula: dW_j = alpha g_j 1{|W_j| <= 1} + sign(W_j) / n * sum_i g_i sign(W_i), per output channel
        double[] formula = new double[w.numel()];
        double[] alpha = new double[m];
        for (int o = 0; o < m; o++) {
            double abs = 0, signed = 0;
            for (int i = o * n; i < (o + 1) * n; i++) {
                abs += Math.abs(w.data[i]);
                signed += r[i] * Math.signum(w.data[i]);
            }
            alpha[o] = abs / n;
            for (int j = o * n; j < (o + 1) * n; j++) {
                formula[j] = (Math.abs(w.data[j]) <= 1 ? alpha[o] * r[j] : 0) + Math.signum(w.data[j]) * signed / n;
            }
        }
        assertClose("binary weight gradient against its formula", w.grad(), formula, 1e-5);
        // the surrogate: alpha(W) differenced with the signs fixed, plus alpha times HardTanh(W) differenced
        float[] signs = new float[w.numel()];
        for (int i = 0; i < signs.length; i++) signs[i] = Math.signum(w.data[i]);
        double[] viaAlpha = numeric(w.data, (double[] ws) -> {
            double s = 0;
            for (int o = 0; o < m; o++) {
                double a = 0;
                for (int i = o * n; i < (o + 1) * n; i++) a += Math.abs(ws[i]);
                a /= n;
                for (int i = o * n; i < (o + 1) * n; i++) s += r[i] * a * signs[i];
            }
            return s;
        }, 1e-3);
        double[] viaSign = numeric(w.data, (double[] ws) -> {
            double s = 0;
            for (int i = 0; i < ws.length; i++) s += r[i] * alpha[i / n] * hardTanh(ws[i]);
            return s;
        }, 1e-3);
        double[] numeric = new double[w.numel()];
        for (int i = 0; i < numeric.length; i++) numeric[i] = viaAlpha[i] + viaSign[i];
        assertClose("binary weight gradient against finite differences of the surrogate", w.grad(), numeric, 1e-4);
        // and the forward value the surrogate differentiates is the op's
        assertThat(dot(r, BinaryWeight.forward(w).data)).isCloseTo(
                java.util.stream.IntStream.range(0, r.length).mapToDouble(i -> r[i] * alpha[i / n] * signs[i]).sum(),
                org.assertj.core.api.Assertions.within(1e-3));
    }
}
