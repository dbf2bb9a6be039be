package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;
import java.util.function.DoubleUnaryOperator;

/**
 * Elementwise functions y = f(x), each beside its derivative, read back from x and y: what the training
 * methods' losses are made of (kernels, log-likelihoods, distances).
 */
public final class Elementwise {
    /** f'(x) given x and y = f(x). */
    @FunctionalInterface
    private interface Derivative {
        double at(double x, double y);
    }

    private Elementwise() {}

    /** exp(x); d/dx = exp(x) = y. */
    public static Tensor exp(Tensor x) {
        return apply(x, Math::exp, (xi, yi) -> yi);
    }

    /** The natural logarithm; d/dx = 1 / x. Inputs must be positive (0 gives -infinity, as it should). */
    public static Tensor log(Tensor x) {
        return apply(x, Math::log, (xi, yi) -> 1 / xi);
    }

    /**
     * The square root; d/dx = 1 / (2 sqrt(x)), infinite at 0: a loss that can reach 0 under the root (a
     * distance) adds a small epsilon first.
     */
    public static Tensor sqrt(Tensor x) {
        return apply(x, Math::sqrt, (xi, yi) -> 0.5 / yi);
    }

    private static Tensor apply(Tensor x, DoubleUnaryOperator f, Derivative df) {
        Tensor y = Tensor.zeros(x.shape());
        for (int i = 0; i < y.data.length; i++) y.data[i] = (float) f.applyAsDouble(x.data[i]);
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            for (int i = 0; i < gx.length; i++) gx[i] += (float) (gy[i] * df.at(x.data[i], y.data[i]));
        }, x);
    }
}
