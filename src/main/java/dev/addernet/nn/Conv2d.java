package dev.addernet.nn;

import dev.addernet.autograd.BinaryWeight;
import dev.addernet.autograd.Conv;
import dev.addernet.autograd.Sign;
import dev.addernet.kernel.Op;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * A 2-d filter layer, weight [out, in, k, k]: an ordinary convolution or, with {@link Op#ADDER}, an
 * adder layer (AdderNet Eq. 2: Y = -sum |X - W|), initialised as {@link FilterLayer} says. With
 * {@link Op#BINARY} it is XNOR-Net's binary convolution: sign(x) convolved with alpha * sign(w)
 * ({@link Sign}, {@link BinaryWeight}; real-valued weights kept for training, initialised as a convolution's).
 */
public final class Conv2d extends FilterLayer {
    private final int in, out, k, stride, pad;

    public Conv2d(Op op, int in, int out, int k, int stride, int pad, boolean bias, Rng rng) {
        super(op, new int[] {out, in, k, k}, bias, rng);
        this.in = in;
        this.out = out;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
    }

    @Override
    public Tensor forward(Tensor x) {
        // BINARY: XNOR-Net's binary convolution is an ordinary convolution of sign(x) with alpha * sign(w)
        Tensor y = op == Op.BINARY
                ? Conv.forward(Op.CONV, Sign.forward(x), BinaryWeight.forward(weight), bias, stride, pad)
                : Conv.forward(op.computed(), adderOptions, x, weight, bias, stride, pad);
        return LayerObserver.report(this, x, y);
    }

    public int kernel() { return k; }
    public int stride() { return stride; }
    public int pad() { return pad; }
    public int inChannels() { return in; }
    public int outChannels() { return out; }

    @Override
    public String describe() {
        return (op == Op.ADDER ? "Adder2d" : op == Op.BINARY ? "BinConv2d" : "Conv2d") + "(" + in + "->" + out + ", k" + k + " s" + stride + " p" + pad
                + adderOptions.describeDistance() + ")";
    }
}
