package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/**
 * XNOR-Net's binary weight (Rastegari et al. 2016, Sec. 3.1, Eq. 4): each output channel's filter W
 * (the first axis; n = the other axes' size) is approximated by alpha * B with B = sign(W) (sign(0) = +1)
 * and alpha = ||W||_1 / n, the mean absolute weight. A convolution with this tensor, on a sign-binarised
 * input, is XNOR-Net's binary convolution.
 *
 * <p>Backward (Sec. 3.2, "Training Binary-Weights-Networks"): the chain rule through both factors,
 * with the straight-through estimator for sign (d sign(w)/dw = 1 where |w| <= 1, else 0):
 * <pre>
 *   dC/dW_j = alpha * g_j * 1{|W_j| <= 1}  +  sign(W_j) / n * sum_i g_i sign(W_i)
 * </pre>
 * where g = dC/d(alpha B). The second term is the exact derivative of alpha = mean |W|; XNOR-Net writes
 * it per element as g_j / n, and the authors' code sums it over the filter as here (their extra
 * factor n (1 - 1/c_in), a learning-rate rescaling, is not applied). The simplification that drops the
 * alpha term and passes alpha * g_j or g_j through the STE alone is not used.
 */
public final class BinaryWeight {
    private BinaryWeight() {}

    public static Tensor forward(Tensor w) {
        final int m = w.dim(0), n = w.numel() / m;
        final float[] ws = w.data;
        final float[] alpha = new float[m];
        Tensor y = Tensor.zeros(w.shape());
        float[] ys = y.data;
        for (int o = 0; o < m; o++) {
            double sum = 0;
            for (int i = o * n, e = i + n; i < e; i++) sum += Math.abs(ws[i]);
            alpha[o] = (float) (sum / n);
            for (int i = o * n, e = i + n; i < e; i++) ys[i] = ws[i] >= 0f ? alpha[o] : -alpha[o];
        }
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !w.requiresGrad()) return;
            float[] gy = y.grad(), gw = w.grad();
            for (int o = 0; o < m; o++) {
                double signedSum = 0;
                for (int i = o * n, e = i + n; i < e; i++) signedSum += ws[i] >= 0f ? gy[i] : -gy[i];
                final double meanTerm = signedSum / n;
                for (int i = o * n, e = i + n; i < e; i++) {
                    double ste = Math.abs(ws[i]) <= 1f ? alpha[o] * gy[i] : 0;
                    gw[i] += (float) (ste + (ws[i] >= 0f ? meanTerm : -meanTerm));
                }
            }
        }, w);
    }
}
