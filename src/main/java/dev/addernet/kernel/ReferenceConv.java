package dev.addernet.kernel;

import dev.addernet.kernel.Op;

/**
 * The maths of every filter layer, stated once and plainly: direct loops over every output, tap and filter,
 * in double precision, with the AdderNet reference implementation's semantics (zero padding; padded taps
 * count as x = 0 in the forward pass and the weight gradient and are dropped from the input gradient).
 * The fast kernels ({@link ConvKernels} and its tiles) compute the same functions in float32 blocks and cite
 * this file; the kernel tests compare every tile against it, and {@code addernet --kernels reference} (or
 * {@code -Daddernet.kernels=reference}) runs any command on it instead of the tiles.
 *
 * <p>Equation numbers: "U" is Universal Adder Neural Networks (the journal version), "A" is AdderNet (CVPR
 * 2020). For an output y = Y(m, n, t) of filter F_t over the patch X (taps i, j, k):
 * <ul>
 *   <li>convolution: y = sum X F (U Eq. 1 with S(x, y) = x y); its true gradients;</li>
 *   <li>adder layer: y = -sum |X - F| (A Eq. 2, U Eq. 2), and the Lp-AdderNet's y = -sum |X - F|^p,
 *       1 <= p <= 2 (U Eq. 26; p = 2 is the L2-AdderNet of U Eq. 24);</li>
 *   <li>adder weight gradient: the full-precision dY/dF = X - F (A Eq. 4, U Eq. 23), for every p; the
 *       papers' ablation, its sign sgn(X - F) (U Eq. 22);</li>
 *   <li>adder input gradient: HardTanh(F - X) (A Eq. 5-6) at p = 1; for p > 1, sgn(F - X)|F - X|^(p-1)
 *       (U Eq. 27: the true derivative divided by p), HardTanh-clipped to [-1, 1] unless told not to;</li>
 *   <li>adaptive learning-rate scaling (ALR) of an adder layer's filter gradient: times eta sqrt(k) / ||g||_2
 *       (U Eq. 32-33), k the number of filter elements; it has no fast twin, the optimiser applies this one.</li>
 * </ul>
 */
public final class ReferenceConv {
    private ReferenceConv() {}

    public static double[] forward(Op kind, ConvShape s, float[] x, float[] w) {
        return forward(kind, 1, s, x, w);
    }

    /** Every output: sum X F (CONV), or -sum |X - F|^p (ADDER; U Eq. 26, A Eq. 2 at p = 1). */
    public static double[] forward(Op kind, double p, ConvShape s, float[] x, float[] w) {
        double[] y = new double[s.outputSize()];
        for (int n = 0; n < s.n(); n++) for (int m = 0; m < s.m(); m++) for (int oy = 0; oy < s.oh(); oy++) for (int ox = 0; ox < s.ow(); ox++) {
            double acc = 0;
            for (int c = 0; c < s.c(); c++) for (int ky = 0; ky < s.k(); ky++) for (int kx = 0; kx < s.k(); kx++) {
                double xv = input(s, x, n, c, oy * s.stride() - s.pad() + ky, ox * s.stride() - s.pad() + kx);
                double wv = w[((m * s.c() + c) * s.k() + ky) * s.k() + kx];
                acc += kind == Op.ADDER ? -distance(xv - wv, p) : xv * wv;
            }
            y[((n * s.m() + m) * s.oh() + oy) * s.ow() + ox] = acc;
        }
        return y;
    }

    /** |d|^p, exactly |d| and d^2 at p = 1 and 2. */
    static double distance(double d, double p) {
        return p == 1 ? Math.abs(d) : p == 2 ? d * d : Math.pow(Math.abs(d), p);
    }

    /** Returns {gradInput, gradWeight} (the weight gradient before any adaptive scaling). */
    public static double[][] backward(Op kind, ConvShape s, float[] x, float[] w, float[] gy) {
        return backward(kind, 1, true, s, x, w, gy);
    }

    public static double[][] backward(Op kind, double p, boolean clip, ConvShape s, float[] x, float[] w, float[] gy) {
        return backward(kind, p, clip, false, s, x, w, gy);
    }

    /**
     * Returns {gradInput, gradWeight} for the output gradient {@code gy}: for CONV the true gradients; for
     * ADDER the weight gradient sum (X - F) g (U Eq. 23), or sum sgn(X - F) g with {@code sign} (U Eq. 22),
     * and the input gradient sum {@link #inputGradient}(F - X) g.
     */
    public static double[][] backward(Op kind, double p, boolean clip, boolean sign, ConvShape s, float[] x, float[] w, float[] gy) {
        double[] gx = new double[s.inputSize()], gw = new double[s.weightSize()];
        for (int n = 0; n < s.n(); n++) for (int m = 0; m < s.m(); m++) for (int oy = 0; oy < s.oh(); oy++) for (int ox = 0; ox < s.ow(); ox++) {
            double g = gy[((n * s.m() + m) * s.oh() + oy) * s.ow() + ox];
            for (int c = 0; c < s.c(); c++) for (int ky = 0; ky < s.k(); ky++) for (int kx = 0; kx < s.k(); kx++) {
                int iy = oy * s.stride() - s.pad() + ky, ix = ox * s.stride() - s.pad() + kx;
                int wi = ((m * s.c() + c) * s.k() + ky) * s.k() + kx;
                double xv = input(s, x, n, c, iy, ix), wv = w[wi];
                boolean inside = iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w();
                if (kind == Op.ADDER) {
                    gw[wi] += (sign ? Math.signum(xv - wv) : xv - wv) * g; // padded taps as x = 0
                    if (inside) gx[(n * s.c() + c) * s.h() * s.w() + iy * s.w() + ix] += inputGradient(wv - xv, p, clip) * g;
                } else {
                    gw[wi] += xv * g;
                    if (inside) gx[(n * s.c() + c) * s.h() * s.w() + iy * s.w() + ix] += wv * g;
                }
            }
        }
        return new double[][] {gx, gw};
    }

    /**
     * dY/dX of one tap as the papers train it, for u = F - X: HardTanh(u) = max(-1, min(1, u)) at p = 1
     * (A Eq. 5-6, whatever {@code clip} says: U Eq. 27 would give sgn(u), the reference uses HardTanh);
     * else sgn(u)|u|^(p-1) (U Eq. 27), clipped by HardTanh when {@code clip}.
     */
    public static double inputGradient(double u, double p, boolean clip) {
        if (p == 1) return hardTanh(u);
        double d = Math.signum(u) * Math.pow(Math.abs(u), p - 1);
        return clip ? hardTanh(d) : d;
    }

    public static double hardTanh(double u) {
        return Math.max(-1, Math.min(1, u));
    }

    /**
     * Adaptive learning-rate scaling (U Eq. 32-33): g *= eta sqrt(k) / ||g||_2 for an adder layer's k filter
     * elements, the norm floored at 1e-12 so that a zero gradient stays zero.
     */
    public static void adaptiveLearningRate(float[] g, double eta) {
        double sq = 0;
        for (float x : g) sq += (double) x * x;
        double scale = eta * Math.sqrt(g.length) / Math.max(Math.sqrt(sq), 1e-12);
        for (int i = 0; i < g.length; i++) g[i] = (float) (g[i] * scale);
    }

    /** The forward in the fast kernels' convention ({@link ConvKernels#forward}): y overwritten, rounded to float. */
    public static void forward(Op kind, AdderOptions options, ConvShape s, float[] x, float[] w, float[] y) {
        double[] r = forward(kind, options.p(), s, x, w);
        for (int i = 0; i < r.length; i++) y[i] = (float) r[i];
    }

    /** The backward in the fast kernels' convention ({@link ConvKernels#backward}): added into gx and gw, each skipped when null. */
    public static void backward(Op kind, AdderOptions options, ConvShape s, float[] x, float[] w, float[] gy, float[] gx, float[] gw) {
        if (gx == null && gw == null) return;
        double[][] r = backward(kind, options.p(), options.clipInputGradient(), options.signWeightGradient(), s, x, w, gy);
        if (gx != null) for (int i = 0; i < gx.length; i++) gx[i] += (float) r[0][i];
        if (gw != null) for (int i = 0; i < gw.length; i++) gw[i] += (float) r[1][i];
    }

    private static double input(ConvShape s, float[] x, int n, int c, int iy, int ix) {
        if (iy < 0 || iy >= s.h() || ix < 0 || ix >= s.w()) return 0;
        return x[((n * s.c() + c) * s.h() + iy) * s.w() + ix];
    }
}
