package dev.addernet.nn;

import dev.addernet.tensor.Tensor;

/**
 * A trainable tensor. {@code adder} marks the filters of adder layers: the optimiser gives them the
 * adaptive learning-rate scaling of AdderNet (Universal AdderNets Eq. 32-33).
 */
public final class Parameter extends Tensor {
    private final boolean adder;

    public Parameter(Tensor init, boolean adder) {
        super(init.data, init.shape());
        this.adder = adder;
        requiresGrad(true);
    }

    public boolean isAdder() {
        return adder;
    }
}
