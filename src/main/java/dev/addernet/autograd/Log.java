package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/** The natural logarithm elementwise; d/dx = 1 / x. Inputs must be positive (0 gives -infinity, as it should). */
public final class Log {
    private Log() {}

    public static Tensor forward(Tensor x) {
        Tensor y = Tensor.zeros(x.shape());
        for (int i = 0; i < y.data.length; i++) y.data[i] = (float) Math.log(x.data[i]);
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            for (int i = 0; i < gx.length; i++) gx[i] += gy[i] / x.data[i];
        }, x);
    }
}
