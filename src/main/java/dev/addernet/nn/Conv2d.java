package dev.addernet.nn;

import dev.addernet.autograd.Conv;
import dev.addernet.kernel.ConvKernels.Kind;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * A 2-d filter layer, weight [out, in, k, k]: an ordinary convolution or, with {@link Op#ADDER}, an
 * adder layer (AdderNet Eq. 2: Y = -sum |X - W|; no bias, weights N(0, 1) as the reference).
 * Convolutions take PyTorch's default initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
 */
public final class Conv2d extends Module {
    private final Op op;
    private final int in, out, k, stride, pad;
    private final Parameter weight, bias;
    private float p = 1f;
    private boolean clip = true;

    public Conv2d(Op op, int in, int out, int k, int stride, int pad, boolean bias, Rng rng) {
        this.op = op;
        this.in = in;
        this.out = out;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
        Tensor w = Tensor.zeros(out, in, k, k);
        double bound = 1 / Math.sqrt(in * k * k);
        if (op == Op.ADDER) rng.fillGaussian(w.data, 1.0);
        else rng.fillUniform(w.data, -bound, bound);
        this.weight = param("weight", new Parameter(w, op == Op.ADDER));
        if (bias && op == Op.ADDER) throw new IllegalArgumentException("adder layers have no bias");
        if (bias) {
            Tensor b = Tensor.zeros(out);
            rng.fillUniform(b.data, -bound, bound);
            this.bias = param("bias", new Parameter(b, false));
        } else {
            this.bias = null;
        }
    }

    static Kind kind(Op op) {
        return op == Op.ADDER ? Kind.ADDER : Kind.CONV;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.forward(kind(op), p, clip, x, weight, bias, stride, pad);
    }

    public Op op() { return op; }

    /** Sets the Lp-AdderNet's norm p in [1, 2] and whether its input gradient is clipped (adder layers only). */
    public void setLp(float p, boolean clip) {
        if (op != Op.ADDER) return;
        if (!(p >= 1f && p <= 2f)) throw new IllegalArgumentException("p must be in [1, 2], got " + p);
        this.p = p;
        this.clip = clip;
    }
    public int kernel() { return k; }
    public int stride() { return stride; }
    public int inChannels() { return in; }
    public int outChannels() { return out; }

    @Override
    public String describe() {
        return (op == Op.ADDER ? "Adder2d" : "Conv2d") + "(" + in + "->" + out + ", k" + k + " s" + stride + " p" + pad + ")";
    }
}
