package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/**
 * The square root elementwise; d/dx = 1 / (2 sqrt(x)), infinite at 0: a loss that can reach 0 under the
 * root (a distance) adds a small epsilon first, as SLAC's sqrt(q) does.
 */
public final class Sqrt {
    private Sqrt() {}

    public static Tensor forward(Tensor x) {
        Tensor y = Tensor.zeros(x.shape());
        for (int i = 0; i < y.data.length; i++) y.data[i] = (float) Math.sqrt(x.data[i]);
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            for (int i = 0; i < gx.length; i++) gx[i] += gy[i] / (2 * y.data[i]);
        }, x);
    }
}
