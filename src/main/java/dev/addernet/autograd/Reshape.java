package dev.addernet.autograd;

import dev.addernet.tensor.Shapes;
import dev.addernet.tensor.Tensor;
import java.util.Arrays;

/** The same values under another shape (Flatten, and linear layers seen as 1x1 convolutions). */
public final class Reshape {
    private Reshape() {}

    public static Tensor forward(Tensor x, int... shape) {
        if (Shapes.numel(shape) != x.numel()) {
            throw new IllegalArgumentException("cannot reshape " + x + " to " + Arrays.toString(shape));
        }
        Tensor y = new Tensor(x.data, shape);
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            for (int i = 0; i < gy.length; i++) gx[i] += gy[i];
        }, x);
    }
}
