package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;
import java.util.Arrays;

/**
 * Cross-entropy against soft targets at a temperature, the distillation loss (Hinton et al. 2015; PKKD
 * Eq. 4's H(y_s, y_t)): mean over the batch of -sum_j softmax(t / T)_j log softmax(z / T)_j, for logits z
 * and target logits t of shape [N, C]. The gradient reaches z only, (softmax(z / T) - softmax(t / T)) / (N T):
 * the targets are constants, as a teacher's outputs are to its student. The T^2 that keeps the gradient's
 * size independent of T is the caller's to apply.
 */
public final class SoftTargetCrossEntropy {
    private SoftTargetCrossEntropy() {}

    public static Tensor forward(Tensor logits, Tensor targetLogits, double temperature) {
        if (!Arrays.equals(logits.shape(), targetLogits.shape()) || logits.rank() != 2) {
            throw new IllegalArgumentException("soft-target cross-entropy of " + logits + " against " + targetLogits + ": expected two [N, C]");
        }
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        final int n = logits.dim(0), c = logits.dim(1);
        final double[] logP = new double[n * c], p = new double[n * c], logQ = new double[n * c], q = new double[n * c];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            logSoftmax(logits.data, i * c, c, temperature, logP);
            logSoftmax(targetLogits.data, i * c, c, temperature, logQ);
            for (int k = i * c; k < (i + 1) * c; k++) {
                p[k] = Math.exp(logP[k]);
                q[k] = Math.exp(logQ[k]);
                loss -= q[k] * logP[k];
            }
        }
        Tensor y = Tensor.scalar((float) (loss / n));
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !logits.requiresGrad()) return;
            float[] g = logits.grad();
            double scale = y.grad()[0] / (n * temperature);
            for (int k = 0; k < n * c; k++) g[k] += (float) ((p[k] - q[k]) * scale);
        }, logits);
    }

    /** out[off..off+c) = log softmax(z[off..off+c) / t), through the maximum for stability. */
    private static void logSoftmax(float[] z, int off, int c, double t, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) max = Math.max(max, z[off + j] / t);
        double sum = 0;
        for (int j = 0; j < c; j++) sum += Math.exp(z[off + j] / t - max);
        double logSum = max + Math.log(sum);
        for (int j = 0; j < c; j++) out[off + j] = z[off + j] / t - logSum;
    }
}
