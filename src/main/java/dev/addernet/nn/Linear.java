package dev.addernet.nn;

import dev.addernet.autograd.Conv;
import dev.addernet.autograd.Reshape;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * A fully connected layer, weight [out, in], on a [N, in] input: y = W x (+ b), or with
 * {@link Op#ADDER} the adder layer y = -|x - w|_1 (a 1x1 adder layer on the flattened input, as the
 * papers replace fully connected layers). Both run as a 1x1 filter layer over [N, in, 1, 1].
 */
public final class Linear extends Module {
    private final Op op;
    private final int in, out;
    private final Parameter weight, bias;
    private float p = 1f;
    private boolean clip = true;

    public Linear(Op op, int in, int out, boolean bias, Rng rng) {
        this.op = op;
        this.in = in;
        this.out = out;
        Tensor w = Tensor.zeros(out, in);
        double bound = 1 / Math.sqrt(in);
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

    @Override
    public Tensor forward(Tensor x) {
        int n = x.dim(0);
        if (x.numel() != n * in) throw new IllegalArgumentException(describe() + " got input " + x);
        Tensor y = Conv.forward(Conv2d.kind(op), p, clip, Reshape.forward(x, n, in, 1, 1), Reshape.forward(weight, out, in, 1, 1),
                bias, 1, 0);
        return Reshape.forward(y, n, out);
    }

    public Op op() { return op; }

    /** Sets the Lp-AdderNet's norm p in [1, 2] and whether its input gradient is clipped (adder layers only). */
    public void setLp(float p, boolean clip) {
        if (op != Op.ADDER) return;
        if (!(p >= 1f && p <= 2f)) throw new IllegalArgumentException("p must be in [1, 2], got " + p);
        this.p = p;
        this.clip = clip;
    }
    public int inFeatures() { return in; }
    public int outFeatures() { return out; }

    @Override
    public String describe() {
        return (op == Op.ADDER ? "AdderLinear" : "Linear") + "(" + in + "->" + out + ")";
    }
}
