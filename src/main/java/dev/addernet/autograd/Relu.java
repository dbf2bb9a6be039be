package dev.addernet.autograd;

import dev.addernet.kernel.Parallel;
import dev.addernet.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** max(x, 0); its gradient passes where x > 0. */
public final class Relu {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Relu() {}

    public static Tensor forward(Tensor x) {
        return forward(x, false);
    }

    /**
     * With {@code reuseInput} the result overwrites x's values: x itself is returned when no tape records,
     * else a tensor on x's array with its own gradient (the backward reads only y, and no op before a ReLU
     * reads its own output in its backward; BatchNorm and the residual add are what precede one).
     */
    public static Tensor forward(Tensor x, boolean reuseInput) {
        Tensor y = !reuseInput ? Tensor.zeros(x.shape()) : Tape.recording() ? new Tensor(x.data, x.shape()) : x;
        float[] xs = x.data, ys = y.data;
        Parallel.forRange(xs.length, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) ys[i] = Math.max(xs[i], 0f);
        });
        return Tape.record(y, () -> {
            if (!y.hasGrad() || !x.requiresGrad()) return;
            float[] gy = y.grad(), gx = x.grad();
            // A masked add: the scalar loop's branch kept C2 from vectorising it (4% of a ResNet-20 step).
            Parallel.forRange(xs.length, 1, (lo, hi) -> {
                int i = lo;
                for (; i <= hi - S.length(); i += S.length()) {
                    FloatVector.fromArray(S, gx, i)
                            .add(FloatVector.fromArray(S, gy, i), FloatVector.fromArray(S, ys, i).compare(VectorOperators.GT, 0f))
                            .intoArray(gx, i);
                }
                for (; i < hi; i++) if (ys[i] > 0f) gx[i] += gy[i];
            });
        }, x);
    }
}
