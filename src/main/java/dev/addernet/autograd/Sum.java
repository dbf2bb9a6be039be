package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/** The sum or the mean of all elements, as a scalar: d/dx_i = 1 (or 1 / n). */
public final class Sum {
    private Sum() {}

    public static Tensor forward(Tensor x) {
        return reduce(x, 1);
    }

    public static Tensor mean(Tensor x) {
        return reduce(x, 1.0 / x.numel());
    }

    private static Tensor reduce(Tensor x, double weight) {
        double s = 0;
        for (float v : x.data) s += v;
        Tensor y = Tensor.scalar((float) (s * weight));
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float g = (float) (y.grad()[0] * weight);
            float[] gx = x.grad();
            for (int i = 0; i < gx.length; i++) gx[i] += g;
        }, x);
    }
}
