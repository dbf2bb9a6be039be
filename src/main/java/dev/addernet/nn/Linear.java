package dev.addernet.nn;

import dev.addernet.kernel.Op;
import dev.addernet.autograd.BinaryWeight;
import dev.addernet.autograd.Conv;
import dev.addernet.autograd.Sign;
import dev.addernet.autograd.Reshape;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * A fully connected layer, weight [out, in], on a [N, in] input: y = W x (+ b), or with
 * {@link Op#ADDER} the adder layer y = -|x - w|_1 (a 1x1 adder layer on the flattened input, as the
 * papers replace fully connected layers), or with {@link Op#BINARY} XNOR-Net's sign(x) . alpha sign(w).
 * All run as a 1x1 filter layer over [N, in, 1, 1], initialised as {@link FilterLayer} says.
 */
public final class Linear extends FilterLayer {
    private final int in, out;

    public Linear(Op op, int in, int out, boolean bias, Rng rng) {
        super(op, new int[] {out, in}, bias, rng);
        this.in = in;
        this.out = out;
    }

    @Override
    public Tensor forward(Tensor x) {
        int n = x.dim(0);
        if (x.numel() != n * in) throw new IllegalArgumentException(describe() + " got input " + x);
        Tensor x4 = Reshape.forward(x, n, in, 1, 1), w4 = Reshape.forward(weight, out, in, 1, 1);
        if (op == Op.BINARY) { // XNOR-Net: sign(x) times alpha * sign(w), alpha per output (see Conv2d)
            x4 = Sign.forward(x4);
            w4 = BinaryWeight.forward(w4);
        }
        Tensor y = Conv.forward(op.computed(), adderOptions, x4, w4, bias, 1, 0);
        return LayerObserver.report(this, x, Reshape.forward(y, n, out));
    }

    public int inFeatures() { return in; }
    public int outFeatures() { return out; }

    @Override
    public String describe() {
        return (op == Op.ADDER ? "AdderLinear" : op == Op.BINARY ? "BinLinear" : "Linear") + "(" + in + "->" + out
                + adderOptions.describeDistance() + ")";
    }
}
