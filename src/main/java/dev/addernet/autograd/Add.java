package dev.addernet.autograd;

import dev.addernet.kernel.Parallel;
import dev.addernet.tensor.Tensor;
import java.util.Arrays;

/** Elementwise a + b of equal shapes (the residual add). */
public final class Add {
    private Add() {}

    public static Tensor forward(Tensor a, Tensor b) {
        return forward(a, b, false);
    }

    /**
     * With {@code reuseA} the sum overwrites a's values: a itself is returned when no tape records, else a
     * tensor on a's array with its own gradient (the backward reads no values).
     */
    public static Tensor forward(Tensor a, Tensor b, boolean reuseA) {
        if (!Arrays.equals(a.shape(), b.shape())) throw new IllegalArgumentException("add " + a + " + " + b);
        Tensor y = !reuseA ? Tensor.zeros(a.shape()) : Tape.recording() ? new Tensor(a.data, a.shape()) : a;
        final float[] as = a.data, bs = b.data, ys = y.data;
        Parallel.forRange(ys.length, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) ys[i] = as[i] + bs[i];
        });
        return Tape.record(y, () -> {
            if (!y.hasGrad()) return;
            float[] gy = y.grad();
            for (Tensor in : new Tensor[] {a, b}) {
                if (!in.requiresGrad()) continue;
                float[] g = in.grad();
                Parallel.forRange(gy.length, 1, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) g[i] += gy[i];
                });
            }
        }, a, b);
    }
}
