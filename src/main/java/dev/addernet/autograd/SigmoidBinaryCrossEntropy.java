package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/**
 * Mean binary cross-entropy of sigmoid(z) against labels y in {0, 1} (or any target in [0, 1]), taken
 * from the logits z so that it stays finite for any z: with p = sigmoid(z),
 * -[y log p + (1 - y) log(1 - p)] = softplus(z) - y z, and softplus(z) = max(z, 0) + log(1 + exp(-|z|))
 * never overflows. The gradient is (sigmoid(z) - y) / N. Logits are [N] or [N, 1].
 */
public final class SigmoidBinaryCrossEntropy {
    private SigmoidBinaryCrossEntropy() {}

    public static Tensor forward(Tensor logits, float[] labels) {
        final int n = logits.dim(0);
        if (logits.numel() != n) throw new IllegalArgumentException("binary cross-entropy takes logits [N] or [N, 1], got " + logits);
        if (labels.length != n) throw new IllegalArgumentException(n + " logits but " + labels.length + " labels");
        final float[] z = logits.data;
        final double[] prob = new double[n];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double zi = z[i];
            if (!(labels[i] >= 0 && labels[i] <= 1)) throw new IllegalArgumentException("label " + i + " is " + labels[i] + ", expected a value in [0, 1]");
            loss += Math.max(zi, 0) + Math.log1p(Math.exp(-Math.abs(zi))) - labels[i] * zi;
            prob[i] = sigmoid(zi);
        }
        Tensor y = Tensor.scalar((float) (loss / n));
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !logits.requiresGrad()) return;
            float[] g = logits.grad();
            double scale = y.grad()[0] / n;
            for (int i = 0; i < n; i++) g[i] += (float) ((prob[i] - labels[i]) * scale);
        }, logits);
    }

    /** 1 / (1 + exp(-z)), written so that neither branch overflows. */
    public static double sigmoid(double z) {
        if (z >= 0) return 1 / (1 + Math.exp(-z));
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
