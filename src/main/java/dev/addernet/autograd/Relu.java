package dev.addernet.autograd;

import dev.addernet.kernel.Parallel;
import dev.addernet.tensor.Tensor;

/** max(x, 0); its gradient passes where x > 0. */
public final class Relu {
    private Relu() {}

    public static Tensor forward(Tensor x) {
        Tensor y = Tensor.zeros(x.shape());
        float[] xs = x.data, ys = y.data;
        Parallel.forRange(xs.length, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) ys[i] = Math.max(xs[i], 0f);
        });
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            Parallel.forRange(xs.length, 1, (lo, hi) -> {
                for (int i = lo; i < hi; i++) if (xs[i] > 0f) gx[i] += gy[i];
            });
        }, x);
    }
}
