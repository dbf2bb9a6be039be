package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;
import java.util.Arrays;

/**
 * mean((a - b)^2) over all elements, a scalar; d/da = 2 (a - b) / n and d/db = -2 (a - b) / n, each only
 * where that input needs a gradient (a teacher's side given through {@link Detach} gets none).
 */
public final class MeanSquaredError {
    private MeanSquaredError() {}

    public static Tensor forward(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) throw new IllegalArgumentException("mean squared error of " + a + " and " + b);
        final int n = a.numel();
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) a.data[i] - b.data[i];
            s += d * d;
        }
        Tensor y = Tensor.scalar((float) (s / n));
        return Tape.record(y, () -> {
            if (!y.hasGrad()) return;
            float k = (float) (2.0 * y.grad()[0] / n);
            float[] ga = a.requiresGrad() ? a.grad() : null, gb = b.requiresGrad() ? b.grad() : null;
            for (int i = 0; i < n; i++) {
                float g = k * (a.data[i] - b.data[i]);
                if (ga != null) ga[i] += g;
                if (gb != null) gb[i] -= g;
            }
        }, a, b);
    }
}
