package dev.addernet.kernel;

import dev.addernet.kernel.ConvKernels.Kind;

/**
 * The plain reference twin of {@link ConvKernels}: direct loops over every output, tap and filter, in
 * double precision, with exactly the AdderNet reference's semantics (zero padding; padded taps count
 * as x = 0 in the forward pass and the weight gradient and are dropped from the input gradient).
 */
public final class ReferenceConv {
    private ReferenceConv() {}

    public static double[] forward(Kind kind, ConvShape s, float[] x, float[] w) {
        return forward(kind, 1, s, x, w);
    }

    /** With the Lp distance for ADDER: -sum |x - w|^p (Universal AdderNets Eq. 26). */
    public static double[] forward(Kind kind, double p, ConvShape s, float[] x, float[] w) {
        double[] y = new double[s.outputSize()];
        for (int n = 0; n < s.n(); n++) for (int m = 0; m < s.m(); m++) for (int oy = 0; oy < s.oh(); oy++) for (int ox = 0; ox < s.ow(); ox++) {
            double acc = 0;
            for (int c = 0; c < s.c(); c++) for (int ky = 0; ky < s.k(); ky++) for (int kx = 0; kx < s.k(); kx++) {
                double xv = input(s, x, n, c, oy * s.stride() - s.pad() + ky, ox * s.stride() - s.pad() + kx);
                double wv = w[((m * s.c() + c) * s.k() + ky) * s.k() + kx];
                acc += kind == Kind.ADDER ? -Math.pow(Math.abs(xv - wv), p) : xv * wv;
            }
            y[((n * s.m() + m) * s.oh() + oy) * s.ow() + ox] = acc;
        }
        return y;
    }

    /** Returns {gradInput, gradWeight} (the weight gradient before any adaptive scaling). */
    public static double[][] backward(Kind kind, ConvShape s, float[] x, float[] w, float[] gy) {
        return backward(kind, 1, true, s, x, w, gy);
    }

    /**
     * The Lp-AdderNet's gradients: weight (x - w) g for every p (Eq. 23); input Eq. 27,
     * sgn(w - x)|w - x|^(p-1) g, clipped to [-1, 1] when {@code clip}; at p = 1 HardTanh(w - x) g.
     */
    public static double[][] backward(Kind kind, double p, boolean clip, ConvShape s, float[] x, float[] w, float[] gy) {
        return backward(kind, p, clip, false, s, x, w, gy);
    }

    /** With {@code sign}, the adder weight gradient is sum sgn(x - w) g (Universal AdderNets Eq. 22). */
    public static double[][] backward(Kind kind, double p, boolean clip, boolean sign, ConvShape s, float[] x, float[] w, float[] gy) {
        double[] gx = new double[s.inputSize()], gw = new double[s.weightSize()];
        for (int n = 0; n < s.n(); n++) for (int m = 0; m < s.m(); m++) for (int oy = 0; oy < s.oh(); oy++) for (int ox = 0; ox < s.ow(); ox++) {
            double g = gy[((n * s.m() + m) * s.oh() + oy) * s.ow() + ox];
            for (int c = 0; c < s.c(); c++) for (int ky = 0; ky < s.k(); ky++) for (int kx = 0; kx < s.k(); kx++) {
                int iy = oy * s.stride() - s.pad() + ky, ix = ox * s.stride() - s.pad() + kx;
                int wi = ((m * s.c() + c) * s.k() + ky) * s.k() + kx;
                double xv = input(s, x, n, c, iy, ix), wv = w[wi];
                boolean inside = iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w();
                if (kind == Kind.ADDER) {
                    gw[wi] += (sign ? Math.signum(xv - wv) : xv - wv) * g; // Eq. 22 or 23, padded taps as x = 0
                    double u = wv - xv;
                    double dy = p == 1 ? Math.max(-1, Math.min(1, u)) : Math.signum(u) * Math.pow(Math.abs(u), p - 1);
                    if (clip) dy = Math.max(-1, Math.min(1, dy));
                    if (inside) gx[(n * s.c() + c) * s.h() * s.w() + iy * s.w() + ix] += dy * g;
                } else {
                    gw[wi] += xv * g;
                    if (inside) gx[(n * s.c() + c) * s.h() * s.w() + iy * s.w() + ix] += wv * g;
                }
            }
        }
        return new double[][] {gx, gw};
    }

    private static double input(ConvShape s, float[] x, int n, int c, int iy, int ix) {
        if (iy < 0 || iy >= s.h() || ix < 0 || ix >= s.w()) return 0;
        return x[((n * s.c() + c) * s.h() + iy) * s.w() + ix];
    }
}
