package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/** exp(x) elementwise; d/dx = exp(x), read back from the output. */
public final class Exp {
    private Exp() {}

    public static Tensor forward(Tensor x) {
        Tensor y = Tensor.zeros(x.shape());
        for (int i = 0; i < y.data.length; i++) y.data[i] = (float) Math.exp(x.data[i]);
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            for (int i = 0; i < gx.length; i++) gx[i] += gy[i] * y.data[i];
        }, x);
    }
}
