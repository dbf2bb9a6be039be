package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/**
 * Mean cross-entropy of logits [N, C] against integer labels, through a stable log-softmax
 * (max subtracted before exp). The gradient is (softmax - onehot) / N.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    public static Tensor forward(Tensor logits, int[] labels) {
        final int n = logits.dim(0), c = logits.dim(1);
        if (labels.length < n) throw new IllegalArgumentException(n + " logits rows but " + labels.length + " labels");
        final float[] z = logits.data;
        final double[] prob = new double[n * c];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, z[i * c + j]);
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.exp(z[i * c + j] - max);
            double logSum = Math.log(sum) + max;
            for (int j = 0; j < c; j++) prob[i * c + j] = Math.exp(z[i * c + j] - logSum);
            loss += logSum - z[i * c + labels[i]];
        }
        Tensor y = Tensor.scalar((float) (loss / n));
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !logits.requiresGrad()) return;
            float[] g = logits.grad();
            double scale = y.grad()[0] / n;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < c; j++) {
                    g[i * c + j] += (float) ((prob[i * c + j] - (j == labels[i] ? 1 : 0)) * scale);
                }
            }
        }, logits);
    }
}
