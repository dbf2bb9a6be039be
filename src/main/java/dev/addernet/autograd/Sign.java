package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/**
 * The binary activation of XNOR-Net (Rastegari et al. 2016, Sec. 3.2): y = sign(x), with sign(0) = +1
 * so that every output is one bit. Backward is the straight-through estimator of Hubara et al. 2016
 * that XNOR-Net uses: the gradient passes unchanged where |x| <= 1 and is cancelled elsewhere, i.e. the
 * derivative of HardTanh(x) = clamp(x, -1, 1) stands in for the derivative of sign (zero almost everywhere).
 */
public final class Sign {
    private Sign() {}

    public static Tensor forward(Tensor x) {
        Tensor y = Tensor.zeros(x.shape());
        float[] xs = x.data, ys = y.data;
        for (int i = 0; i < xs.length; i++) ys[i] = xs[i] >= 0f ? 1f : -1f;
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            for (int i = 0; i < xs.length; i++) if (Math.abs(xs[i]) <= 1f) gx[i] += gy[i];
        }, x);
    }
}
