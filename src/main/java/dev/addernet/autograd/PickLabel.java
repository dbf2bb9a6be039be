package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/** The mean over rows of each row's entry at its label, mean_n z[n, y_n]: a log-likelihood of the own class. */
public final class PickLabel {
    private PickLabel() {}

    public static Tensor mean(Tensor z, int[] labels) {
        final int n = z.dim(0), k = z.dim(1);
        if (labels.length < n) throw new IllegalArgumentException(n + " rows but " + labels.length + " labels");
        double s = 0;
        for (int a = 0; a < n; a++) s += z.data[a * k + labels[a]];
        Tensor y = Tensor.scalar((float) (s / n));
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !z.requiresGrad()) return;
            float[] g = z.grad();
            float share = y.grad()[0] / n;
            for (int a = 0; a < n; a++) g[a * k + labels[a]] += share;
        }, z);
    }
}
