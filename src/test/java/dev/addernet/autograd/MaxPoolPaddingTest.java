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

/** Max pooling with padding (ResNet's stem: k3 s2 p1): padded positions never win, as PyTorch's -inf padding. */
class MaxPoolPaddingTest {

    /** The plain definition: max over the in-bounds pixels of each window. */
    private static float[] reference(Tensor x, int k, int s, int p) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
        float[] y = new float[n * c * oh * ow];
        int o = 0;
        for (int plane = 0; plane < n * c; plane++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, o++) {
                    float best = Float.NEGATIVE_INFINITY;
                    for (int dy = 0; dy < k; dy++) {
                        for (int dx = 0; dx < k; dx++) {
                            int iy = oy * s - p + dy, ix = ox * s - p + dx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) best = Math.max(best, x.data[(plane * h + iy) * w + ix]);
                        }
                    }
                    y[o] = best;
                }
            }
        }
        return y;
    }

    @Test
    void forwardMatchesTheDefinitionEvenWhenAllValuesAreNegative() {
        for (int size : new int[] {7, 8}) {
            Tensor x = randn(new Rng(size), 1, 2, 3, size, size);
            for (int i = 0; i < x.data.length; i++) x.data[i] = -Math.abs(x.data[i]) - 0.1f; // a zero pad would win
            Tensor y = MaxPool.forward(x, 3, 2, 1);
            int out = (size + 2 * 1 - 3) / 2 + 1; // 4 for both 7 and 8
            assertThat(y.shape()).containsExactly(2, 3, out, out);
            assertThat(y.data).containsExactly(reference(x, 3, 2, 1));
        }
    }

    @Test
    void gradientGoesToTheWindowMaximum() {
        Tensor x = randn(new Rng(3), 1, 1, 2, 8, 8);
        double[] r = weights(4, 2 * 4 * 4);
        x.requiresGrad(true);
        try (Tape tape = Tape.open()) {
            tape.backward(weightedSum(MaxPool.forward(x, 3, 2, 1), r));
        }
        double[] expected = numeric(x.data, () -> dot(r, MaxPool.forward(x, 3, 2, 1).data), 1e-3);
        assertClose("max pool k3 s2 p1", x.grad(), expected, 1e-3);
    }
}
