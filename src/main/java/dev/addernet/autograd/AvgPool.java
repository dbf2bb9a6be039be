package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/** Average pooling over k x k windows with a stride (no padding); k = H = W is the global average pool. */
public final class AvgPool {
    private AvgPool() {}

    public static Tensor forward(Tensor x, int k, int stride) {
        final int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        final int oh = (h - k) / stride + 1, ow = (w - k) / stride + 1;
        final float inv = 1f / (k * k);
        final Tensor y = Tensor.zeros(n, c, oh, ow);
        final float[] xs = x.data, ys = y.data;
        int o = 0;
        for (int plane = 0; plane < n * c; plane++) {
            final int base = plane * h * w;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, o++) {
                    double sum = 0;
                    for (int dy = 0; dy < k; dy++) {
                        for (int dx = 0; dx < k; dx++) sum += xs[base + (oy * stride + dy) * w + ox * stride + dx];
                    }
                    ys[o] = (float) (sum * inv);
                }
            }
        }
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            int i = 0;
            for (int plane = 0; plane < n * c; plane++) {
                final int base = plane * h * w;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, i++) {
                        float g = gy[i] * inv;
                        for (int dy = 0; dy < k; dy++) {
                            for (int dx = 0; dx < k; dx++) gx[base + (oy * stride + dy) * w + ox * stride + dx] += g;
                        }
                    }
                }
            }
        }, x);
    }
}
