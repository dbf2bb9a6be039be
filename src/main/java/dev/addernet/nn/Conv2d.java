package dev.addernet.nn;

import dev.addernet.autograd.BinaryWeight;
import dev.addernet.autograd.Conv;
import dev.addernet.kernel.AdderOptions;
import dev.addernet.autograd.Sign;
import dev.addernet.kernel.ConvKernels.Kind;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;

/**
 * A 2-d filter layer, weight [out, in, k, k]: an ordinary convolution or, with {@link Op#ADDER}, an
 * adder layer (AdderNet Eq. 2: Y = -sum |X - W|; no bias, weights N(0, 1) as the reference).
 * Convolutions take PyTorch's default initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in)). With
 * {@link Op#BINARY} it is XNOR-Net's binary convolution: sign(x) convolved with alpha * sign(w)
 * ({@link Sign}, {@link BinaryWeight}; real-valued weights kept for training, initialised as a convolution's).
 */
public final class Conv2d extends Module {
    private final Op op;
    private final int in, out, k, stride, pad;
    private final Parameter weight, bias;
    private AdderOptions adderOptions = AdderOptions.DEFAULT;

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
        // BINARY: XNOR-Net's binary convolution is an ordinary convolution of sign(x) with alpha * sign(w)
        Tensor y = op == Op.BINARY
                ? Conv.forward(Kind.CONV, Sign.forward(x), BinaryWeight.forward(weight), bias, stride, pad)
                : Conv.forward(kind(op), adderOptions, x, weight, bias, stride, pad);
        return LayerObserver.report(this, x, y);
    }

    public Op op() { return op; }

    /** Sets how an adder layer computes and differentiates (the Lp norm, the gradients); ignored by other ops. */
    public void setAdderOptions(AdderOptions options) {
        if (op == Op.ADDER) this.adderOptions = options;
    }
    public int kernel() { return k; }
    public int stride() { return stride; }
    public int inChannels() { return in; }
    public int outChannels() { return out; }

    @Override
    public String describe() {
        return (op == Op.ADDER ? "Adder2d" : op == Op.BINARY ? "BinConv2d" : "Conv2d") + "(" + in + "->" + out + ", k" + k + " s" + stride + " p" + pad
                + adderOptions.describeDistance() + ")";
    }
}
