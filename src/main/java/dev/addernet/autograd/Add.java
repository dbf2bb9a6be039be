package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;
import java.util.Arrays;

/** Elementwise a + b of equal shapes (the residual add). */
public final class Add {
    private Add() {}

    public static Tensor forward(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) throw new IllegalArgumentException("add " + a + " + " + b);
        Tensor y = Tensor.zeros(a.shape());
        for (int i = 0; i < y.data.length; i++) y.data[i] = a.data[i] + b.data[i];
        return Tape.record(y, () -> {
            if (!y.hasGrad()) return;
            float[] gy = y.grad();
            for (Tensor in : new Tensor[] {a, b}) {
                if (!in.requiresGrad()) continue;
                float[] g = in.grad();
                for (int i = 0; i < gy.length; i++) g[i] += gy[i];
            }
        }, a, b);
    }
}
