package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/** c * x for a constant c: how a method weights one loss against another (PKKD's beta, SLAC's lambda). */
public final class Scale {
    private Scale() {}

    public static Tensor forward(Tensor x, double c) {
        final float k = (float) c;
        Tensor y = Tensor.zeros(x.shape());
        for (int i = 0; i < y.data.length; i++) y.data[i] = k * x.data[i];
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            for (int i = 0; i < gx.length; i++) gx[i] += k * gy[i];
        }, x);
    }
}
