package dev.addernet.autograd;

import dev.addernet.kernel.Parallel;
import dev.addernet.tensor.Tensor;

/**
 * Max pooling over k x k windows with a stride and an optional zero-width border of {@code pad} pixels
 * on each side (ResNet's stem pool is 3x3, stride 2, pad 1). Padded positions never win, as PyTorch's
 * -infinity padding: each window's maximum is over its in-bounds pixels. The gradient goes to the first
 * maximum.
 */
public final class MaxPool {
    private MaxPool() {}

    public static Tensor forward(Tensor x, int k, int stride) {
        return forward(x, k, stride, 0);
    }

    public static Tensor forward(Tensor x, int k, int stride, int pad) {
        final int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        if (pad < 0 || 2 * pad > k) throw new IllegalArgumentException("max pool padding " + pad + " must be in [0, k/2] for k = " + k);
        final int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        final Tensor y = Tensor.uninitialized(n, c, oh, ow);
        final int[] argmax = new int[y.numel()];
        final float[] xs = x.data, ys = y.data;
        // Planes split over the threads (on one it was a sixth of a LeNet-5 training step).
        Parallel.forRange(n * c, (long) h * w, (p0, p1) -> {
            int o = p0 * oh * ow;
            for (int plane = p0; plane < p1; plane++) {
                final int base = plane * h * w;
                for (int oy = 0; oy < oh; oy++) {
                    // the window clipped to the image (pad <= k/2 keeps at least one pixel in it)
                    final int y0 = Math.max(oy * stride - pad, 0), y1 = Math.min(oy * stride - pad + k, h);
                    for (int ox = 0; ox < ow; ox++, o++) {
                        final int x0 = Math.max(ox * stride - pad, 0), x1 = Math.min(ox * stride - pad + k, w);
                        int best = base + y0 * w + x0;
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                int i = base + iy * w + ix;
                                if (xs[i] > xs[best]) best = i;
                            }
                        }
                        ys[o] = xs[best];
                        argmax[o] = best;
                    }
                }
            }
        });
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            // Windows overlap only within a plane (stride < k), so planes split over the threads never share a pixel.
            Parallel.forRange(n * c, (long) oh * ow, (p0, p1) -> {
                for (int i = p0 * oh * ow, e = p1 * oh * ow; i < e; i++) gx[argmax[i]] += gy[i];
            });
        }, x);
    }
}
