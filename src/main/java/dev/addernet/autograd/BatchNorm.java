package dev.addernet.autograd;

import dev.addernet.kernel.Parallel;
import dev.addernet.tensor.Tensor;

/**
 * Batch normalisation over the channel axis of [N, C] or [N, C, H, W] (Ioffe and Szegedy 2015;
 * Universal AdderNets Eq. 30-31). Training mode normalises with the batch statistics (biased
 * variance) and updates the running statistics with momentum (unbiased variance, as PyTorch);
 * eval mode uses the running statistics. Sums are taken in double: after an adder layer the
 * inputs are in the thousands and float sums would lose the small differences BN keeps.
 */
public final class BatchNorm {
    private BatchNorm() {}

    public static Tensor forward(Tensor x, Tensor gamma, Tensor beta, float[] runningMean, float[] runningVar,
                                 boolean training, double momentum, double eps) {
        final int n = x.dim(0), c = x.dim(1), hw = x.numel() / (n * c), count = n * hw;
        if (gamma.numel() != c) throw new IllegalArgumentException("BatchNorm over " + c + " channels got " + gamma);
        final float[] xs = x.data;
        final double[] mean = new double[c], invStd = new double[c];
        // Each channel is one task's work in a fixed order: results do not depend on the thread count.
        Parallel.forRange(c, 2L * count, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                if (training) {
                    double sum = 0;
                    for (int i = 0; i < n; i++) for (int j = (i * c + ch) * hw, e = j + hw; j < e; j++) sum += xs[j];
                    double mu = sum / count, sq = 0;
                    for (int i = 0; i < n; i++) {
                        for (int j = (i * c + ch) * hw, e = j + hw; j < e; j++) {
                            double d = xs[j] - mu;
                            sq += d * d;
                        }
                    }
                    double var = sq / count;
                    mean[ch] = mu;
                    invStd[ch] = 1.0 / Math.sqrt(var + eps);
                    double unbiased = count > 1 ? sq / (count - 1) : var;
                    runningMean[ch] = (float) ((1 - momentum) * runningMean[ch] + momentum * mu);
                    runningVar[ch] = (float) ((1 - momentum) * runningVar[ch] + momentum * unbiased);
                } else {
                    mean[ch] = runningMean[ch];
                    invStd[ch] = 1.0 / Math.sqrt(runningVar[ch] + eps);
                }
            }
        });
        final Tensor y = Tensor.zeros(x.shape());
        final float[] ys = y.data;
        Parallel.forRange(c, count, (c0, c1) -> {
            for (int i = 0; i < n; i++) {
                for (int ch = c0; ch < c1; ch++) {
                    final double mu = mean[ch], scale = invStd[ch] * gamma.data[ch], shift = beta.data[ch];
                    for (int j = (i * c + ch) * hw, e = j + hw; j < e; j++) ys[j] = (float) ((xs[j] - mu) * scale + shift);
                }
            }
        });
        return Tape.record(y, () -> backward(x, gamma, beta, y, mean, invStd, training), x, gamma, beta);
    }

    private static void backward(Tensor x, Tensor gamma, Tensor beta, Tensor y, double[] mean, double[] invStd,
                                 boolean training) {
        if (!y.hasGrad()) return;
        final int n = x.dim(0), c = x.dim(1), hw = x.numel() / (n * c), count = n * hw;
        final float[] gy = y.grad(), xs = x.data;
        // Gradient arrays are allocated lazily: take them here, not inside the parallel tasks.
        final float[] gx = x.requiresGrad() ? x.grad() : null;
        final float[] gGamma = gamma.requiresGrad() ? gamma.grad() : null, gBeta = beta.requiresGrad() ? beta.grad() : null;
        Parallel.forRange(c, 3L * count, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                final double mu = mean[ch], is = invStd[ch];
                double sumG = 0, sumGXhat = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = (i * c + ch) * hw, e = j + hw; j < e; j++) {
                        sumG += gy[j];
                        sumGXhat += gy[j] * (xs[j] - mu) * is;
                    }
                }
                if (gGamma != null) gGamma[ch] += (float) sumGXhat;
                if (gBeta != null) gBeta[ch] += (float) sumG;
                if (gx == null) continue;
                final double g = gamma.data[ch] * is;
                if (training) {
                    // dx = gamma/sigma * (dy - mean(dy) - xhat * mean(dy * xhat))
                    final double meanG = sumG / count, meanGXhat = sumGXhat / count;
                    for (int i = 0; i < n; i++) {
                        for (int j = (i * c + ch) * hw, e = j + hw; j < e; j++) {
                            gx[j] += (float) (g * (gy[j] - meanG - (xs[j] - mu) * is * meanGXhat));
                        }
                    }
                } else {
                    for (int i = 0; i < n; i++) for (int j = (i * c + ch) * hw, e = j + hw; j < e; j++) gx[j] += (float) (g * gy[j]);
                }
            }
        });
    }
}
