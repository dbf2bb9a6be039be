package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/**
 * PKKD's kernel transforms of a layer's output z (PKKD Eq. 7-8) with a learnable width: y = exp(-z / D),
 * D = c exp(k s), s a one-element tensor (the log of the width, which keeps it positive). The student's
 * Laplace kernel g = exp(-z / sigma_a) is c = 1, k = 1 (sigma_a = e^s); the teacher's Gaussian-alike
 * h = exp(-z / (2 sigma_c^2)) is c = 2, k = 2 (sigma_c = e^s). dy/dz = -y / D and dy/ds = y z k / D.
 */
public final class ExpKernel {
    private ExpKernel() {}

    public static Tensor forward(Tensor z, Tensor logWidth, double c, double k) {
        if (logWidth.numel() != 1) throw new IllegalArgumentException("kernel width must be one value, got " + logWidth);
        final double d = c * Math.exp(k * logWidth.data[0]);
        Tensor y = Tensor.zeros(z.shape());
        for (int i = 0; i < y.data.length; i++) y.data[i] = (float) Math.exp(-z.data[i] / d);
        return Tape.record(y, () -> {
            if (!y.hasGrad()) return;
            float[] gy = y.grad();
            if (z.requiresGrad()) {
                float[] gz = z.grad();
                for (int i = 0; i < gz.length; i++) gz[i] -= (float) (gy[i] * y.data[i] / d);
            }
            if (logWidth.requiresGrad()) {
                double gs = 0;
                for (int i = 0; i < gy.length; i++) gs += (double) gy[i] * y.data[i] * z.data[i];
                logWidth.grad()[0] += (float) (gs * k / d);
            }
        }, z, logWidth);
    }
}
