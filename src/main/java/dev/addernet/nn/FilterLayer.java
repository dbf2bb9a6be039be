package dev.addernet.nn;

import dev.addernet.kernel.Op;
import dev.addernet.kernel.AdderOptions;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * What the filter layers ({@link Conv2d}, {@link Linear}) share: the op, the weight and optional bias with
 * their initialisation, and the adder options. Adder filters are drawn from N(0, 1), as the reference
 * implementation; convolution and binary weights and every bias from PyTorch's default,
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), the weight first. Adder layers have no bias (AdderNet Eq. 2).
 */
public abstract sealed class FilterLayer extends Module permits Conv2d, Linear {
    protected final Op op;
    protected final Parameter weight, bias;
    protected AdderOptions adderOptions = AdderOptions.DEFAULT;

    FilterLayer(Op op, int[] weightShape, boolean bias, Rng rng) {
        if (bias && op == Op.ADDER) throw new IllegalArgumentException("adder layers have no bias");
        this.op = op;
        int fanIn = 1;
        for (int i = 1; i < weightShape.length; i++) fanIn *= weightShape[i];
        double bound = 1 / Math.sqrt(fanIn);
        Tensor w = Tensor.zeros(weightShape);
        if (op == Op.ADDER) rng.fillGaussian(w.data, 1.0);
        else rng.fillUniform(w.data, -bound, bound);
        this.weight = param("weight", new Parameter(w, op == Op.ADDER));
        if (bias) {
            Tensor b = Tensor.zeros(weightShape[0]);
            rng.fillUniform(b.data, -bound, bound);
            this.bias = param("bias", new Parameter(b, false));
        } else {
            this.bias = null;
        }
    }

    public Op op() {
        return op;
    }

    /** Sets how an adder layer computes and differentiates (the Lp norm, the gradients); ignored by other ops. */
    public void setAdderOptions(AdderOptions options) {
        if (op == Op.ADDER) this.adderOptions = options;
    }
}
