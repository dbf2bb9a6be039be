package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/** min(max(x, lo), hi) elementwise; the gradient passes where lo < x < hi (as HardTanh's). */
public final class Clamp {
    private Clamp() {}

    public static Tensor forward(Tensor x, float lo, float hi) {
        if (!(lo < hi)) throw new IllegalArgumentException("clamp needs lo < hi, got " + lo + " and " + hi);
        Tensor y = Tensor.zeros(x.shape());
        for (int i = 0; i < y.data.length; i++) y.data[i] = Math.min(Math.max(x.data[i], lo), hi);
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            for (int i = 0; i < gx.length; i++) if (x.data[i] > lo && x.data[i] < hi) gx[i] += gy[i];
        }, x);
    }
}
