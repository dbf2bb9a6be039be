package dev.addernet.autograd;

import dev.addernet.kernel.AdderOptions;
import dev.addernet.kernel.ConvKernels;
import dev.addernet.kernel.Op;
import dev.addernet.kernel.ConvShape;
import dev.addernet.tensor.Tensor;

/**
 * A convolution-like layer op, forward and backward: {@link Op#CONV} is the ordinary convolution,
 * {@link Op#ADDER} the AdderNet layer, each with the gradients {@link dev.addernet.kernel.ReferenceConv}
 * states. Input [N, C, H, W], weight [M, C, k, k], optional bias [M].
 */
public final class Conv {
    private Conv() {}

    public static Tensor forward(Op kind, Tensor x, Tensor w, Tensor bias, int stride, int pad) {
        return forward(kind, AdderOptions.DEFAULT, x, w, bias, stride, pad);
    }

    /** With the adder layer's options ({@link AdderOptions}: the Lp distance, the gradients' variants). */
    public static Tensor forward(Op kind, AdderOptions options, Tensor x, Tensor w, Tensor bias, int stride, int pad) {
        if (x.rank() != 4 || w.rank() != 4 || x.dim(1) != w.dim(1) || w.dim(2) != w.dim(3)) {
            throw new IllegalArgumentException("conv input " + x + " does not fit weight " + w);
        }
        ConvShape s = new ConvShape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), stride, pad);
        Tensor y = Tensor.uninitialized(s.n(), s.m(), s.oh(), s.ow()); // the kernel overwrites every output
        ConvKernels.forward(kind, options, s, x.data, w.data, y.data);
        if (bias != null) addBias(y.data, bias.data, s.n(), s.m(), s.positions());
        return Tape.record(y, () -> backward(kind, options, s, x, w, bias, y), x, w, bias);
    }

    private static void backward(Op kind, AdderOptions options, ConvShape s, Tensor x, Tensor w, Tensor bias, Tensor y) {
        if (!y.hasGrad()) return;
        float[] gy = y.grad();
        ConvKernels.backward(kind, options, s, x.data, w.data, gy,
                x.requiresGrad() ? x.grad() : null, w.requiresGrad() ? w.grad() : null);
        if (bias != null && bias.requiresGrad()) {
            float[] gb = bias.grad();
            int positions = s.positions();
            for (int n = 0; n < s.n(); n++) {
                for (int m = 0; m < s.m(); m++) {
                    double sum = 0;
                    for (int i = (n * s.m() + m) * positions, e = i + positions; i < e; i++) sum += gy[i];
                    gb[m] += (float) sum;
                }
            }
        }
    }

    private static void addBias(float[] y, float[] b, int n, int m, int p) {
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < m; c++) {
                float v = b[c];
                for (int j = (i * m + c) * p, e = j + p; j < e; j++) y[j] += v;
            }
        }
    }
}
