package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/** Max pooling over k x k windows with a stride (no padding); the gradient goes to the first maximum. */
public final class MaxPool {
    private MaxPool() {}

    public static Tensor forward(Tensor x, int k, int stride) {
        final int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        final int oh = (h - k) / stride + 1, ow = (w - k) / stride + 1;
        final Tensor y = Tensor.zeros(n, c, oh, ow);
        final int[] argmax = new int[y.numel()];
        final float[] xs = x.data, ys = y.data;
        int o = 0;
        for (int plane = 0; plane < n * c; plane++) {
            final int base = plane * h * w;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, o++) {
                    int best = base + oy * stride * w + ox * stride;
                    for (int dy = 0; dy < k; dy++) {
                        for (int dx = 0; dx < k; dx++) {
                            int i = base + (oy * stride + dy) * w + ox * stride + dx;
                            if (xs[i] > xs[best]) best = i;
                        }
                    }
                    ys[o] = xs[best];
                    argmax[o] = best;
                }
            }
        }
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            for (int i = 0; i < gy.length; i++) gx[argmax[i]] += gy[i];
        }, x);
    }
}
