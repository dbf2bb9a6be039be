package dev.addernet.autograd;

import dev.addernet.kernel.Parallel;
import dev.addernet.tensor.Tensor;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalisation over the channel axis of [N, C] or [N, C, H, W] (Ioffe and Szegedy 2015;
 * Universal AdderNets Eq. 30-31). Training mode normalises with the batch statistics (biased
 * variance) and updates the running statistics with momentum (unbiased variance, as PyTorch);
 * eval mode uses the running statistics. Sums are taken in double: after an adder layer the
 * inputs are in the thousands and float sums would lose the small differences BN keeps. They run on
 * double vectors (the scalar loops' single dependency chain was 6-8% of a ResNet-20 AdderNet step), and
 * their lanes are added in a fixed order, so results stay independent of the thread count and of JIT state.
 */
public final class BatchNorm {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private BatchNorm() {}

    /**
     * acc[0] += sum (a[i] - mu) and acc[1] += sum (a[i] - mu)^2 over i in [from, from + len), in double; with
     * {@code b} non-null instead acc[0] += sum b[i] and acc[1] += sum b[i] (a[i] - mu) (the backward's two sums).
     * Two float lanes' halves are widened into two double vectors; the lanes are summed in lane order.
     */
    private static void sums(float[] a, float[] b, int from, int len, double mu, double[] acc, double[] lanes) {
        final DoubleVector m = DoubleVector.broadcast(D, mu);
        DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D), t0 = DoubleVector.zero(D), t1 = DoubleVector.zero(D);
        int i = 0;
        for (; i <= len - F.length(); i += F.length()) {
            final FloatVector av = FloatVector.fromArray(F, a, from + i);
            final DoubleVector d0 = ((DoubleVector) av.convertShape(VectorOperators.F2D, D, 0)).sub(m);
            final DoubleVector d1 = ((DoubleVector) av.convertShape(VectorOperators.F2D, D, 1)).sub(m);
            if (b != null) {
                final FloatVector bv = FloatVector.fromArray(F, b, from + i);
                final DoubleVector g0 = (DoubleVector) bv.convertShape(VectorOperators.F2D, D, 0);
                final DoubleVector g1 = (DoubleVector) bv.convertShape(VectorOperators.F2D, D, 1);
                s0 = s0.add(g0);
                s1 = s1.add(g1);
                t0 = g0.fma(d0, t0);
                t1 = g1.fma(d1, t1);
            } else {
                s0 = s0.add(d0);
                s1 = s1.add(d1);
                t0 = d0.fma(d0, t0);
                t1 = d1.fma(d1, t1);
            }
        }
        double s = 0, t = 0;
        s0.add(s1).intoArray(lanes, 0);
        for (int k = 0; k < D.length(); k++) s += lanes[k];
        t0.add(t1).intoArray(lanes, 0);
        for (int k = 0; k < D.length(); k++) t += lanes[k];
        for (; i < len; i++) {
            final double d = a[from + i] - mu;
            if (b != null) {
                s += b[from + i];
                t += b[from + i] * d;
            } else {
                s += d;
                t += d * d;
            }
        }
        acc[0] += s;
        acc[1] += t;
    }

    public static Tensor forward(Tensor x, Tensor gamma, Tensor beta, float[] runningMean, float[] runningVar,
                                 boolean training, double momentum, double eps) {
        return forward(x, gamma, beta, runningMean, runningVar, training, momentum, eps, false);
    }

    /**
     * With {@code reuseInput} the result overwrites x when no tape records (see {@link Tape#recording}); the
     * statistics are taken before.
     */
    public static Tensor forward(Tensor x, Tensor gamma, Tensor beta, float[] runningMean, float[] runningVar,
                                 boolean training, double momentum, double eps, boolean reuseInput) {
        final int n = x.dim(0), c = x.dim(1), hw = x.numel() / (n * c), count = n * hw;
        if (gamma.numel() != c) throw new IllegalArgumentException("BatchNorm over " + c + " channels got " + gamma);
        final float[] xs = x.data;
        final double[] mean = new double[c], invStd = new double[c];
        // Each channel is one task's work in a fixed order: results do not depend on the thread count.
        Parallel.forRange(c, count, (c0, c1) -> {
            final double[] acc = new double[2], lanes = new double[D.length()];
            for (int ch = c0; ch < c1; ch++) {
                if (training) {
                    // One pass: the sums of d = x - x0 and of d^2, shifted by the channel's first value x0 so that
                    // var = mean(d^2) - mean(d)^2 does not cancel when the mean is large against the spread
                    // (adder outputs: thousands, spread in tens).
                    final double shift = xs[ch * hw];
                    acc[0] = 0;
                    acc[1] = 0;
                    for (int i = 0; i < n; i++) sums(xs, null, (i * c + ch) * hw, hw, shift, acc, lanes);
                    final double meanShifted = acc[0] / count, mu = shift + meanShifted;
                    final double sq = Math.max(0, acc[1] - acc[0] * meanShifted), var = sq / count;
                    mean[ch] = mu;
                    invStd[ch] = 1.0 / Math.sqrt(var + eps);
                    double unbiased = count > 1 ? sq / (count - 1) : var;
                    runningMean[ch] = (float) ((1 - momentum) * runningMean[ch] + momentum * mu);
                    runningVar[ch] = (float) ((1 - momentum) * runningVar[ch] + momentum * unbiased);
                } else {
                    mean[ch] = runningMean[ch];
                    invStd[ch] = 1.0 / Math.sqrt(runningVar[ch] + eps);
                }
            }
        });
        final Tensor y = reuseInput && !Tape.recording() ? x : Tensor.zeros(x.shape());
        final float[] ys = y.data;
        Parallel.forRange(c, count, (c0, c1) -> {
            for (int i = 0; i < n; i++) {
                for (int ch = c0; ch < c1; ch++) {
                    final double mu = mean[ch], scale = invStd[ch] * gamma.data[ch], shift = beta.data[ch];
                    for (int j = (i * c + ch) * hw, e = j + hw; j < e; j++) ys[j] = (float) ((xs[j] - mu) * scale + shift);
                }
            }
        });
        return Tape.record(y, () -> backward(x, gamma, beta, y, mean, invStd, training), x, gamma, beta);
    }

    private static void backward(Tensor x, Tensor gamma, Tensor beta, Tensor y, double[] mean, double[] invStd,
                                 boolean training) {
        if (!y.hasGrad()) return;
        final int n = x.dim(0), c = x.dim(1), hw = x.numel() / (n * c), count = n * hw;
        final float[] gy = y.grad(), xs = x.data;
        // Gradient arrays are allocated lazily: take them here, not inside the parallel tasks.
        final float[] gx = x.requiresGrad() ? x.grad() : null;
        final float[] gGamma = gamma.requiresGrad() ? gamma.grad() : null, gBeta = beta.requiresGrad() ? beta.grad() : null;
        Parallel.forRange(c, 3L * count, (c0, c1) -> {
            final double[] acc = new double[2], lanes = new double[D.length()];
            for (int ch = c0; ch < c1; ch++) {
                final double mu = mean[ch], is = invStd[ch];
                acc[0] = 0;
                acc[1] = 0;
                for (int i = 0; i < n; i++) sums(xs, gy, (i * c + ch) * hw, hw, mu, acc, lanes);
                final double sumG = acc[0], sumGXhat = acc[1] * is;
                if (gGamma != null) gGamma[ch] += (float) sumGXhat;
                if (gBeta != null) gBeta[ch] += (float) sumG;
                if (gx == null) continue;
                final double g = gamma.data[ch] * is;
                if (training) {
                    // dx = gamma/sigma * (dy - mean(dy) - xhat * mean(dy * xhat))
                    final double meanG = sumG / count, meanGXhat = sumGXhat / count;
                    for (int i = 0; i < n; i++) {
                        for (int j = (i * c + ch) * hw, e = j + hw; j < e; j++) {
                            gx[j] += (float) (g * (gy[j] - meanG - (xs[j] - mu) * is * meanGXhat));
                        }
                    }
                } else {
                    for (int i = 0; i < n; i++) for (int j = (i * c + ch) * hw, e = j + hw; j < e; j++) gx[j] += (float) (g * gy[j]);
                }
            }
        });
    }
}
