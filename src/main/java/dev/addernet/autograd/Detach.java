package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;

/**
 * Stop-gradient: the same values as x with no path back to it, so a loss can read a tensor without
 * training what made it (a teacher's outputs as targets).
 */
public final class Detach {
    private Detach() {}

    public static Tensor forward(Tensor x) {
        return new Tensor(x.data, x.shape());
    }
}
