package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.KC;
import static dev.addernet.kernel.Microkernels.L;
import static dev.addernet.kernel.Microkernels.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The register tiles of the Lp-AdderNet (Universal AdderNets Eq. 26-27) for 1 < p < 2, and the exact
 * p = 2 forward. |d|^p is computed as 2^(p log2 |d|) with polynomials on the float's bits (the Vector
 * API's lanewise POW runs about 15x slower than |x - w|):
 * log2 a = exponent(a) + P5(mantissa in [1, 2)) (absolute error 1.3e-5), 2^y = 2^floor(y) * P4(frac(y))
 * (relative error 2.6e-6): |d|^p to about 2e-5 relative, measured in the tests. |d| is offset by
 * 2^-60 so that d = 0 gives a tiny power instead of log2(0); the offset is far below float resolution
 * of any |d| that matters.
 *
 * <p>Every tile writes its statements out inline (generated once by a script, not kept): a helper
 * method taking vectors would box them once the tile is too large to inline into.
 */
final class LpMicrokernels {
    private static final float EPS_ = 0x1p-60f;
    private static final float BIAS_ = 127f;
    private static final int MANTISSA_ = 0x007fffff;
    private static final int ONE_BITS_ = 0x3f800000;
    private static final int BIAS_BITS_ = 127 << 23;
    private static final int SIGN_ = 0x80000000;
    private static final float LOG0_ = 0.0448729174f;
    private static final float LOG1_ = -0.416558516f;
    private static final float LOG2_ = 1.63113354f;
    private static final float LOG3_ = -3.55077086f;
    private static final float LOG4_ = 5.09169505f;
    private static final float LOG5_ = -129.8003596f;
    private static final float EXP0_ = 0.013534158f;
    private static final float EXP1_ = 0.0520114796f;
    private static final float EXP2_ = 0.241442746f;
    private static final float EXP3_ = 0.693003837f;
    private static final float EXP4_ = 1.00000259f;

    private LpMicrokernels() {}

    /** c[r][j] = -sum_k |b[k][j] - a[k][r]|^p for 4 rows and 32 columns (Eq. 26), 1 < p < 2; a packed [k][4]. */
    static void lpTile(float[] a, int aOff, float[] b, int bOff, int ldb, int kLen, float p, float[] c, int cOff, int ldc) {
        final FloatVector pv = FloatVector.broadcast(S, p);
        final FloatVector EPS = FloatVector.broadcast(S, EPS_);
        final FloatVector BIAS = FloatVector.broadcast(S, BIAS_);
        final FloatVector LOG0 = FloatVector.broadcast(S, LOG0_);
        final FloatVector LOG1 = FloatVector.broadcast(S, LOG1_);
        final FloatVector LOG2 = FloatVector.broadcast(S, LOG2_);
        final FloatVector LOG3 = FloatVector.broadcast(S, LOG3_);
        final FloatVector LOG4 = FloatVector.broadcast(S, LOG4_);
        final FloatVector LOG5 = FloatVector.broadcast(S, LOG5_);
        final FloatVector EXP0 = FloatVector.broadcast(S, EXP0_);
        final FloatVector EXP1 = FloatVector.broadcast(S, EXP1_);
        final FloatVector EXP2 = FloatVector.broadcast(S, EXP2_);
        final FloatVector EXP3 = FloatVector.broadcast(S, EXP3_);
        final FloatVector EXP4 = FloatVector.broadcast(S, EXP4_);
        final IntVector MANTISSA = IntVector.broadcast(IntVector.SPECIES_PREFERRED, MANTISSA_);
        final IntVector ONE_BITS = IntVector.broadcast(IntVector.SPECIES_PREFERRED, ONE_BITS_);
        final IntVector BIAS_BITS = IntVector.broadcast(IntVector.SPECIES_PREFERRED, BIAS_BITS_);
        final IntVector SIGN = IntVector.broadcast(IntVector.SPECIES_PREFERRED, SIGN_);
        for (int k0 = 0; k0 < kLen; k0 += KC) {
            final int k1 = Math.min(kLen, k0 + KC);
            FloatVector s0a = FloatVector.zero(S), s0b = FloatVector.zero(S), s1a = FloatVector.zero(S), s1b = FloatVector.zero(S), s2a = FloatVector.zero(S), s2b = FloatVector.zero(S), s3a = FloatVector.zero(S), s3b = FloatVector.zero(S);
            for (int kk = k0; kk < k1; kk++) {
                final int bo = bOff + kk * ldb, ao = aOff + kk * 4;
                final FloatVector xa = FloatVector.fromArray(S, b, bo), xb = FloatVector.fromArray(S, b, bo + L);
                final FloatVector w0 = FloatVector.broadcast(S, a[ao + 0]);
                final FloatVector a0a = xa.sub(w0).abs().add(EPS);
                final IntVector q0ai = a0a.reinterpretAsInts();
                final FloatVector q0am = q0ai.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
                FloatVector q0al = q0am.fma(LOG0, LOG1);
                q0al = q0al.fma(q0am, LOG2);
                q0al = q0al.fma(q0am, LOG3);
                q0al = q0al.fma(q0am, LOG4);
                q0al = q0al.fma(q0am, LOG5);
                q0al = q0al.add((FloatVector) q0ai.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
                final FloatVector q0ay = q0al.fma(pv, BIAS);
                final IntVector q0an = (IntVector) q0ay.convert(VectorOperators.F2I, 0);
                final FloatVector q0af = q0ay.sub((FloatVector) q0an.convert(VectorOperators.I2F, 0));
                FloatVector q0ae = q0af.fma(EXP0, EXP1);
                q0ae = q0ae.fma(q0af, EXP2);
                q0ae = q0ae.fma(q0af, EXP3);
                q0ae = q0ae.fma(q0af, EXP4);
                final FloatVector q0a = q0an.lanewise(VectorOperators.LSHL, 23).add(q0ae.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
                s0a = s0a.add(q0a);
                final FloatVector a0b = xb.sub(w0).abs().add(EPS);
                final IntVector q0bi = a0b.reinterpretAsInts();
                final FloatVector q0bm = q0bi.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
                FloatVector q0bl = q0bm.fma(LOG0, LOG1);
                q0bl = q0bl.fma(q0bm, LOG2);
                q0bl = q0bl.fma(q0bm, LOG3);
                q0bl = q0bl.fma(q0bm, LOG4);
                q0bl = q0bl.fma(q0bm, LOG5);
                q0bl = q0bl.add((FloatVector) q0bi.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
                final FloatVector q0by = q0bl.fma(pv, BIAS);
                final IntVector q0bn = (IntVector) q0by.convert(VectorOperators.F2I, 0);
                final FloatVector q0bf = q0by.sub((FloatVector) q0bn.convert(VectorOperators.I2F, 0));
                FloatVector q0be = q0bf.fma(EXP0, EXP1);
                q0be = q0be.fma(q0bf, EXP2);
                q0be = q0be.fma(q0bf, EXP3);
                q0be = q0be.fma(q0bf, EXP4);
                final FloatVector q0b = q0bn.lanewise(VectorOperators.LSHL, 23).add(q0be.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
                s0b = s0b.add(q0b);
                final FloatVector w1 = FloatVector.broadcast(S, a[ao + 1]);
                final FloatVector a1a = xa.sub(w1).abs().add(EPS);
                final IntVector q1ai = a1a.reinterpretAsInts();
                final FloatVector q1am = q1ai.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
                FloatVector q1al = q1am.fma(LOG0, LOG1);
                q1al = q1al.fma(q1am, LOG2);
                q1al = q1al.fma(q1am, LOG3);
                q1al = q1al.fma(q1am, LOG4);
                q1al = q1al.fma(q1am, LOG5);
                q1al = q1al.add((FloatVector) q1ai.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
                final FloatVector q1ay = q1al.fma(pv, BIAS);
                final IntVector q1an = (IntVector) q1ay.convert(VectorOperators.F2I, 0);
                final FloatVector q1af = q1ay.sub((FloatVector) q1an.convert(VectorOperators.I2F, 0));
                FloatVector q1ae = q1af.fma(EXP0, EXP1);
                q1ae = q1ae.fma(q1af, EXP2);
                q1ae = q1ae.fma(q1af, EXP3);
                q1ae = q1ae.fma(q1af, EXP4);
                final FloatVector q1a = q1an.lanewise(VectorOperators.LSHL, 23).add(q1ae.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
                s1a = s1a.add(q1a);
                final FloatVector a1b = xb.sub(w1).abs().add(EPS);
                final IntVector q1bi = a1b.reinterpretAsInts();
                final FloatVector q1bm = q1bi.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
                FloatVector q1bl = q1bm.fma(LOG0, LOG1);
                q1bl = q1bl.fma(q1bm, LOG2);
                q1bl = q1bl.fma(q1bm, LOG3);
                q1bl = q1bl.fma(q1bm, LOG4);
                q1bl = q1bl.fma(q1bm, LOG5);
                q1bl = q1bl.add((FloatVector) q1bi.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
                final FloatVector q1by = q1bl.fma(pv, BIAS);
                final IntVector q1bn = (IntVector) q1by.convert(VectorOperators.F2I, 0);
                final FloatVector q1bf = q1by.sub((FloatVector) q1bn.convert(VectorOperators.I2F, 0));
                FloatVector q1be = q1bf.fma(EXP0, EXP1);
                q1be = q1be.fma(q1bf, EXP2);
                q1be = q1be.fma(q1bf, EXP3);
                q1be = q1be.fma(q1bf, EXP4);
                final FloatVector q1b = q1bn.lanewise(VectorOperators.LSHL, 23).add(q1be.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
                s1b = s1b.add(q1b);
                final FloatVector w2 = FloatVector.broadcast(S, a[ao + 2]);
                final FloatVector a2a = xa.sub(w2).abs().add(EPS);
                final IntVector q2ai = a2a.reinterpretAsInts();
                final FloatVector q2am = q2ai.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
                FloatVector q2al = q2am.fma(LOG0, LOG1);
                q2al = q2al.fma(q2am, LOG2);
                q2al = q2al.fma(q2am, LOG3);
                q2al = q2al.fma(q2am, LOG4);
                q2al = q2al.fma(q2am, LOG5);
                q2al = q2al.add((FloatVector) q2ai.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
                final FloatVector q2ay = q2al.fma(pv, BIAS);
                final IntVector q2an = (IntVector) q2ay.convert(VectorOperators.F2I, 0);
                final FloatVector q2af = q2ay.sub((FloatVector) q2an.convert(VectorOperators.I2F, 0));
                FloatVector q2ae = q2af.fma(EXP0, EXP1);
                q2ae = q2ae.fma(q2af, EXP2);
                q2ae = q2ae.fma(q2af, EXP3);
                q2ae = q2ae.fma(q2af, EXP4);
                final FloatVector q2a = q2an.lanewise(VectorOperators.LSHL, 23).add(q2ae.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
                s2a = s2a.add(q2a);
                final FloatVector a2b = xb.sub(w2).abs().add(EPS);
                final IntVector q2bi = a2b.reinterpretAsInts();
                final FloatVector q2bm = q2bi.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
                FloatVector q2bl = q2bm.fma(LOG0, LOG1);
                q2bl = q2bl.fma(q2bm, LOG2);
                q2bl = q2bl.fma(q2bm, LOG3);
                q2bl = q2bl.fma(q2bm, LOG4);
                q2bl = q2bl.fma(q2bm, LOG5);
                q2bl = q2bl.add((FloatVector) q2bi.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
                final FloatVector q2by = q2bl.fma(pv, BIAS);
                final IntVector q2bn = (IntVector) q2by.convert(VectorOperators.F2I, 0);
                final FloatVector q2bf = q2by.sub((FloatVector) q2bn.convert(VectorOperators.I2F, 0));
                FloatVector q2be = q2bf.fma(EXP0, EXP1);
                q2be = q2be.fma(q2bf, EXP2);
                q2be = q2be.fma(q2bf, EXP3);
                q2be = q2be.fma(q2bf, EXP4);
                final FloatVector q2b = q2bn.lanewise(VectorOperators.LSHL, 23).add(q2be.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
                s2b = s2b.add(q2b);
                final FloatVector w3 = FloatVector.broadcast(S, a[ao + 3]);
                final FloatVector a3a = xa.sub(w3).abs().add(EPS);
                final IntVector q3ai = a3a.reinterpretAsInts();
                final FloatVector q3am = q3ai.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
                FloatVector q3al = q3am.fma(LOG0, LOG1);
                q3al = q3al.fma(q3am, LOG2);
                q3al = q3al.fma(q3am, LOG3);
                q3al = q3al.fma(q3am, LOG4);
                q3al = q3al.fma(q3am, LOG5);
                q3al = q3al.add((FloatVector) q3ai.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
                final FloatVector q3ay = q3al.fma(pv, BIAS);
                final IntVector q3an = (IntVector) q3ay.convert(VectorOperators.F2I, 0);
                final FloatVector q3af = q3ay.sub((FloatVector) q3an.convert(VectorOperators.I2F, 0));
                FloatVector q3ae = q3af.fma(EXP0, EXP1);
                q3ae = q3ae.fma(q3af, EXP2);
                q3ae = q3ae.fma(q3af, EXP3);
                q3ae = q3ae.fma(q3af, EXP4);
                final FloatVector q3a = q3an.lanewise(VectorOperators.LSHL, 23).add(q3ae.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
                s3a = s3a.add(q3a);
                final FloatVector a3b = xb.sub(w3).abs().add(EPS);
                final IntVector q3bi = a3b.reinterpretAsInts();
                final FloatVector q3bm = q3bi.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
                FloatVector q3bl = q3bm.fma(LOG0, LOG1);
                q3bl = q3bl.fma(q3bm, LOG2);
                q3bl = q3bl.fma(q3bm, LOG3);
                q3bl = q3bl.fma(q3bm, LOG4);
                q3bl = q3bl.fma(q3bm, LOG5);
                q3bl = q3bl.add((FloatVector) q3bi.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
                final FloatVector q3by = q3bl.fma(pv, BIAS);
                final IntVector q3bn = (IntVector) q3by.convert(VectorOperators.F2I, 0);
                final FloatVector q3bf = q3by.sub((FloatVector) q3bn.convert(VectorOperators.I2F, 0));
                FloatVector q3be = q3bf.fma(EXP0, EXP1);
                q3be = q3be.fma(q3bf, EXP2);
                q3be = q3be.fma(q3bf, EXP3);
                q3be = q3be.fma(q3bf, EXP4);
                final FloatVector q3b = q3bn.lanewise(VectorOperators.LSHL, 23).add(q3be.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
                s3b = s3b.add(q3b);
            }
            if (k0 > 0) {
                FloatVector.fromArray(S, c, cOff + 0 * ldc).sub(s0a).intoArray(c, cOff + 0 * ldc);
                FloatVector.fromArray(S, c, cOff + 0 * ldc + L).sub(s0b).intoArray(c, cOff + 0 * ldc + L);
                FloatVector.fromArray(S, c, cOff + 1 * ldc).sub(s1a).intoArray(c, cOff + 1 * ldc);
                FloatVector.fromArray(S, c, cOff + 1 * ldc + L).sub(s1b).intoArray(c, cOff + 1 * ldc + L);
                FloatVector.fromArray(S, c, cOff + 2 * ldc).sub(s2a).intoArray(c, cOff + 2 * ldc);
                FloatVector.fromArray(S, c, cOff + 2 * ldc + L).sub(s2b).intoArray(c, cOff + 2 * ldc + L);
                FloatVector.fromArray(S, c, cOff + 3 * ldc).sub(s3a).intoArray(c, cOff + 3 * ldc);
                FloatVector.fromArray(S, c, cOff + 3 * ldc + L).sub(s3b).intoArray(c, cOff + 3 * ldc + L);
            } else {
                s0a.neg().intoArray(c, cOff + 0 * ldc);
                s0b.neg().intoArray(c, cOff + 0 * ldc + L);
                s1a.neg().intoArray(c, cOff + 1 * ldc);
                s1b.neg().intoArray(c, cOff + 1 * ldc + L);
                s2a.neg().intoArray(c, cOff + 2 * ldc);
                s2b.neg().intoArray(c, cOff + 2 * ldc + L);
                s3a.neg().intoArray(c, cOff + 3 * ldc);
                s3b.neg().intoArray(c, cOff + 3 * ldc + L);
            }
        }
    }

    /** c[r][j] = -sum_k (b[k][j] - a[k][r])^2 for 4 rows and 32 columns: the L2-AdderNet (Eq. 24), exact; {@code p} unused. */
    static void l2Tile(float[] a, int aOff, float[] b, int bOff, int ldb, int kLen, float p, float[] c, int cOff, int ldc) {
        for (int k0 = 0; k0 < kLen; k0 += KC) {
            final int k1 = Math.min(kLen, k0 + KC);
            FloatVector s0a = FloatVector.zero(S), s0b = FloatVector.zero(S), s1a = FloatVector.zero(S), s1b = FloatVector.zero(S), s2a = FloatVector.zero(S), s2b = FloatVector.zero(S), s3a = FloatVector.zero(S), s3b = FloatVector.zero(S);
            for (int kk = k0; kk < k1; kk++) {
                final int bo = bOff + kk * ldb, ao = aOff + kk * 4;
                final FloatVector xa = FloatVector.fromArray(S, b, bo), xb = FloatVector.fromArray(S, b, bo + L);
                final FloatVector w0 = FloatVector.broadcast(S, a[ao + 0]);
                final FloatVector d0a = xa.sub(w0);
                s0a = d0a.fma(d0a, s0a);
                final FloatVector d0b = xb.sub(w0);
                s0b = d0b.fma(d0b, s0b);
                final FloatVector w1 = FloatVector.broadcast(S, a[ao + 1]);
                final FloatVector d1a = xa.sub(w1);
                s1a = d1a.fma(d1a, s1a);
                final FloatVector d1b = xb.sub(w1);
                s1b = d1b.fma(d1b, s1b);
                final FloatVector w2 = FloatVector.broadcast(S, a[ao + 2]);
                final FloatVector d2a = xa.sub(w2);
                s2a = d2a.fma(d2a, s2a);
                final FloatVector d2b = xb.sub(w2);
                s2b = d2b.fma(d2b, s2b);
                final FloatVector w3 = FloatVector.broadcast(S, a[ao + 3]);
                final FloatVector d3a = xa.sub(w3);
                s3a = d3a.fma(d3a, s3a);
                final FloatVector d3b = xb.sub(w3);
                s3b = d3b.fma(d3b, s3b);
            }
            if (k0 > 0) {
                FloatVector.fromArray(S, c, cOff + 0 * ldc).sub(s0a).intoArray(c, cOff + 0 * ldc);
                FloatVector.fromArray(S, c, cOff + 0 * ldc + L).sub(s0b).intoArray(c, cOff + 0 * ldc + L);
                FloatVector.fromArray(S, c, cOff + 1 * ldc).sub(s1a).intoArray(c, cOff + 1 * ldc);
                FloatVector.fromArray(S, c, cOff + 1 * ldc + L).sub(s1b).intoArray(c, cOff + 1 * ldc + L);
                FloatVector.fromArray(S, c, cOff + 2 * ldc).sub(s2a).intoArray(c, cOff + 2 * ldc);
                FloatVector.fromArray(S, c, cOff + 2 * ldc + L).sub(s2b).intoArray(c, cOff + 2 * ldc + L);
                FloatVector.fromArray(S, c, cOff + 3 * ldc).sub(s3a).intoArray(c, cOff + 3 * ldc);
                FloatVector.fromArray(S, c, cOff + 3 * ldc + L).sub(s3b).intoArray(c, cOff + 3 * ldc + L);
            } else {
                s0a.neg().intoArray(c, cOff + 0 * ldc);
                s0b.neg().intoArray(c, cOff + 0 * ldc + L);
                s1a.neg().intoArray(c, cOff + 1 * ldc);
                s1b.neg().intoArray(c, cOff + 1 * ldc + L);
                s2a.neg().intoArray(c, cOff + 2 * ldc);
                s2b.neg().intoArray(c, cOff + 2 * ldc + L);
                s3a.neg().intoArray(c, cOff + 3 * ldc);
                s3b.neg().intoArray(c, cOff + 3 * ldc + L);
            }
        }
    }

    /**
     * The Lp input gradient for 4 taps and 32 columns (Eq. 27):
     * d[t][j] = sum_m G(w[m][t] - x[t][j]) * g[m][j] with G(u) = sgn(u) |u|^(p-1), clipped to [-1, 1]
     * (HardTanh, as the L1 AdderNet's gradient) when {@code clip}. Eq. 27 is the true derivative of
     * |u|^p divided by p. {@code wt} holds the 4 taps' weights packed [m][4].
     */
    static void lpGradTile(float[] wt, int wOff, float[] x, int xOff, int ldx, float[] g, int gOff, int ldg, int mLen,
                           float p, boolean clip, float[] d, int dOff, int ldd) {
        final FloatVector qv = FloatVector.broadcast(S, p - 1f), limit = FloatVector.broadcast(S, clip ? 1f : Float.MAX_VALUE);
        final FloatVector EPS = FloatVector.broadcast(S, EPS_);
        final FloatVector BIAS = FloatVector.broadcast(S, BIAS_);
        final FloatVector LOG0 = FloatVector.broadcast(S, LOG0_);
        final FloatVector LOG1 = FloatVector.broadcast(S, LOG1_);
        final FloatVector LOG2 = FloatVector.broadcast(S, LOG2_);
        final FloatVector LOG3 = FloatVector.broadcast(S, LOG3_);
        final FloatVector LOG4 = FloatVector.broadcast(S, LOG4_);
        final FloatVector LOG5 = FloatVector.broadcast(S, LOG5_);
        final FloatVector EXP0 = FloatVector.broadcast(S, EXP0_);
        final FloatVector EXP1 = FloatVector.broadcast(S, EXP1_);
        final FloatVector EXP2 = FloatVector.broadcast(S, EXP2_);
        final FloatVector EXP3 = FloatVector.broadcast(S, EXP3_);
        final FloatVector EXP4 = FloatVector.broadcast(S, EXP4_);
        final IntVector MANTISSA = IntVector.broadcast(IntVector.SPECIES_PREFERRED, MANTISSA_);
        final IntVector ONE_BITS = IntVector.broadcast(IntVector.SPECIES_PREFERRED, ONE_BITS_);
        final IntVector BIAS_BITS = IntVector.broadcast(IntVector.SPECIES_PREFERRED, BIAS_BITS_);
        final IntVector SIGN = IntVector.broadcast(IntVector.SPECIES_PREFERRED, SIGN_);
        final FloatVector x0a = FloatVector.fromArray(S, x, xOff + 0 * ldx), x0b = FloatVector.fromArray(S, x, xOff + 0 * ldx + L);
        final FloatVector x1a = FloatVector.fromArray(S, x, xOff + 1 * ldx), x1b = FloatVector.fromArray(S, x, xOff + 1 * ldx + L);
        final FloatVector x2a = FloatVector.fromArray(S, x, xOff + 2 * ldx), x2b = FloatVector.fromArray(S, x, xOff + 2 * ldx + L);
        final FloatVector x3a = FloatVector.fromArray(S, x, xOff + 3 * ldx), x3b = FloatVector.fromArray(S, x, xOff + 3 * ldx + L);
        FloatVector s0a = FloatVector.zero(S), s0b = FloatVector.zero(S), s1a = FloatVector.zero(S), s1b = FloatVector.zero(S), s2a = FloatVector.zero(S), s2b = FloatVector.zero(S), s3a = FloatVector.zero(S), s3b = FloatVector.zero(S);
        for (int mm = 0; mm < mLen; mm++) {
            final int go = gOff + mm * ldg, wo = wOff + mm * 4;
            final FloatVector ga = FloatVector.fromArray(S, g, go), gb = FloatVector.fromArray(S, g, go + L);
            final FloatVector w0 = FloatVector.broadcast(S, wt[wo + 0]);
            final FloatVector u0a = w0.sub(x0a);
            final FloatVector a0a = u0a.abs().add(EPS);
            final IntVector q0ai = a0a.reinterpretAsInts();
            final FloatVector q0am = q0ai.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
            FloatVector q0al = q0am.fma(LOG0, LOG1);
            q0al = q0al.fma(q0am, LOG2);
            q0al = q0al.fma(q0am, LOG3);
            q0al = q0al.fma(q0am, LOG4);
            q0al = q0al.fma(q0am, LOG5);
            q0al = q0al.add((FloatVector) q0ai.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
            final FloatVector q0ay = q0al.fma(qv, BIAS);
            final IntVector q0an = (IntVector) q0ay.convert(VectorOperators.F2I, 0);
            final FloatVector q0af = q0ay.sub((FloatVector) q0an.convert(VectorOperators.I2F, 0));
            FloatVector q0ae = q0af.fma(EXP0, EXP1);
            q0ae = q0ae.fma(q0af, EXP2);
            q0ae = q0ae.fma(q0af, EXP3);
            q0ae = q0ae.fma(q0af, EXP4);
            final FloatVector q0a = q0an.lanewise(VectorOperators.LSHL, 23).add(q0ae.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
            final FloatVector c0a = q0a.blend(limit, q0a.compare(VectorOperators.GT, limit));
            final FloatVector r0a = c0a.reinterpretAsInts().or(u0a.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
            s0a = r0a.fma(ga, s0a);
            final FloatVector u0b = w0.sub(x0b);
            final FloatVector a0b = u0b.abs().add(EPS);
            final IntVector q0bi = a0b.reinterpretAsInts();
            final FloatVector q0bm = q0bi.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
            FloatVector q0bl = q0bm.fma(LOG0, LOG1);
            q0bl = q0bl.fma(q0bm, LOG2);
            q0bl = q0bl.fma(q0bm, LOG3);
            q0bl = q0bl.fma(q0bm, LOG4);
            q0bl = q0bl.fma(q0bm, LOG5);
            q0bl = q0bl.add((FloatVector) q0bi.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
            final FloatVector q0by = q0bl.fma(qv, BIAS);
            final IntVector q0bn = (IntVector) q0by.convert(VectorOperators.F2I, 0);
            final FloatVector q0bf = q0by.sub((FloatVector) q0bn.convert(VectorOperators.I2F, 0));
            FloatVector q0be = q0bf.fma(EXP0, EXP1);
            q0be = q0be.fma(q0bf, EXP2);
            q0be = q0be.fma(q0bf, EXP3);
            q0be = q0be.fma(q0bf, EXP4);
            final FloatVector q0b = q0bn.lanewise(VectorOperators.LSHL, 23).add(q0be.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
            final FloatVector c0b = q0b.blend(limit, q0b.compare(VectorOperators.GT, limit));
            final FloatVector r0b = c0b.reinterpretAsInts().or(u0b.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
            s0b = r0b.fma(gb, s0b);
            final FloatVector w1 = FloatVector.broadcast(S, wt[wo + 1]);
            final FloatVector u1a = w1.sub(x1a);
            final FloatVector a1a = u1a.abs().add(EPS);
            final IntVector q1ai = a1a.reinterpretAsInts();
            final FloatVector q1am = q1ai.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
            FloatVector q1al = q1am.fma(LOG0, LOG1);
            q1al = q1al.fma(q1am, LOG2);
            q1al = q1al.fma(q1am, LOG3);
            q1al = q1al.fma(q1am, LOG4);
            q1al = q1al.fma(q1am, LOG5);
            q1al = q1al.add((FloatVector) q1ai.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
            final FloatVector q1ay = q1al.fma(qv, BIAS);
            final IntVector q1an = (IntVector) q1ay.convert(VectorOperators.F2I, 0);
            final FloatVector q1af = q1ay.sub((FloatVector) q1an.convert(VectorOperators.I2F, 0));
            FloatVector q1ae = q1af.fma(EXP0, EXP1);
            q1ae = q1ae.fma(q1af, EXP2);
            q1ae = q1ae.fma(q1af, EXP3);
            q1ae = q1ae.fma(q1af, EXP4);
            final FloatVector q1a = q1an.lanewise(VectorOperators.LSHL, 23).add(q1ae.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
            final FloatVector c1a = q1a.blend(limit, q1a.compare(VectorOperators.GT, limit));
            final FloatVector r1a = c1a.reinterpretAsInts().or(u1a.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
            s1a = r1a.fma(ga, s1a);
            final FloatVector u1b = w1.sub(x1b);
            final FloatVector a1b = u1b.abs().add(EPS);
            final IntVector q1bi = a1b.reinterpretAsInts();
            final FloatVector q1bm = q1bi.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
            FloatVector q1bl = q1bm.fma(LOG0, LOG1);
            q1bl = q1bl.fma(q1bm, LOG2);
            q1bl = q1bl.fma(q1bm, LOG3);
            q1bl = q1bl.fma(q1bm, LOG4);
            q1bl = q1bl.fma(q1bm, LOG5);
            q1bl = q1bl.add((FloatVector) q1bi.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
            final FloatVector q1by = q1bl.fma(qv, BIAS);
            final IntVector q1bn = (IntVector) q1by.convert(VectorOperators.F2I, 0);
            final FloatVector q1bf = q1by.sub((FloatVector) q1bn.convert(VectorOperators.I2F, 0));
            FloatVector q1be = q1bf.fma(EXP0, EXP1);
            q1be = q1be.fma(q1bf, EXP2);
            q1be = q1be.fma(q1bf, EXP3);
            q1be = q1be.fma(q1bf, EXP4);
            final FloatVector q1b = q1bn.lanewise(VectorOperators.LSHL, 23).add(q1be.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
            final FloatVector c1b = q1b.blend(limit, q1b.compare(VectorOperators.GT, limit));
            final FloatVector r1b = c1b.reinterpretAsInts().or(u1b.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
            s1b = r1b.fma(gb, s1b);
            final FloatVector w2 = FloatVector.broadcast(S, wt[wo + 2]);
            final FloatVector u2a = w2.sub(x2a);
            final FloatVector a2a = u2a.abs().add(EPS);
            final IntVector q2ai = a2a.reinterpretAsInts();
            final FloatVector q2am = q2ai.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
            FloatVector q2al = q2am.fma(LOG0, LOG1);
            q2al = q2al.fma(q2am, LOG2);
            q2al = q2al.fma(q2am, LOG3);
            q2al = q2al.fma(q2am, LOG4);
            q2al = q2al.fma(q2am, LOG5);
            q2al = q2al.add((FloatVector) q2ai.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
            final FloatVector q2ay = q2al.fma(qv, BIAS);
            final IntVector q2an = (IntVector) q2ay.convert(VectorOperators.F2I, 0);
            final FloatVector q2af = q2ay.sub((FloatVector) q2an.convert(VectorOperators.I2F, 0));
            FloatVector q2ae = q2af.fma(EXP0, EXP1);
            q2ae = q2ae.fma(q2af, EXP2);
            q2ae = q2ae.fma(q2af, EXP3);
            q2ae = q2ae.fma(q2af, EXP4);
            final FloatVector q2a = q2an.lanewise(VectorOperators.LSHL, 23).add(q2ae.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
            final FloatVector c2a = q2a.blend(limit, q2a.compare(VectorOperators.GT, limit));
            final FloatVector r2a = c2a.reinterpretAsInts().or(u2a.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
            s2a = r2a.fma(ga, s2a);
            final FloatVector u2b = w2.sub(x2b);
            final FloatVector a2b = u2b.abs().add(EPS);
            final IntVector q2bi = a2b.reinterpretAsInts();
            final FloatVector q2bm = q2bi.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
            FloatVector q2bl = q2bm.fma(LOG0, LOG1);
            q2bl = q2bl.fma(q2bm, LOG2);
            q2bl = q2bl.fma(q2bm, LOG3);
            q2bl = q2bl.fma(q2bm, LOG4);
            q2bl = q2bl.fma(q2bm, LOG5);
            q2bl = q2bl.add((FloatVector) q2bi.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
            final FloatVector q2by = q2bl.fma(qv, BIAS);
            final IntVector q2bn = (IntVector) q2by.convert(VectorOperators.F2I, 0);
            final FloatVector q2bf = q2by.sub((FloatVector) q2bn.convert(VectorOperators.I2F, 0));
            FloatVector q2be = q2bf.fma(EXP0, EXP1);
            q2be = q2be.fma(q2bf, EXP2);
            q2be = q2be.fma(q2bf, EXP3);
            q2be = q2be.fma(q2bf, EXP4);
            final FloatVector q2b = q2bn.lanewise(VectorOperators.LSHL, 23).add(q2be.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
            final FloatVector c2b = q2b.blend(limit, q2b.compare(VectorOperators.GT, limit));
            final FloatVector r2b = c2b.reinterpretAsInts().or(u2b.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
            s2b = r2b.fma(gb, s2b);
            final FloatVector w3 = FloatVector.broadcast(S, wt[wo + 3]);
            final FloatVector u3a = w3.sub(x3a);
            final FloatVector a3a = u3a.abs().add(EPS);
            final IntVector q3ai = a3a.reinterpretAsInts();
            final FloatVector q3am = q3ai.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
            FloatVector q3al = q3am.fma(LOG0, LOG1);
            q3al = q3al.fma(q3am, LOG2);
            q3al = q3al.fma(q3am, LOG3);
            q3al = q3al.fma(q3am, LOG4);
            q3al = q3al.fma(q3am, LOG5);
            q3al = q3al.add((FloatVector) q3ai.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
            final FloatVector q3ay = q3al.fma(qv, BIAS);
            final IntVector q3an = (IntVector) q3ay.convert(VectorOperators.F2I, 0);
            final FloatVector q3af = q3ay.sub((FloatVector) q3an.convert(VectorOperators.I2F, 0));
            FloatVector q3ae = q3af.fma(EXP0, EXP1);
            q3ae = q3ae.fma(q3af, EXP2);
            q3ae = q3ae.fma(q3af, EXP3);
            q3ae = q3ae.fma(q3af, EXP4);
            final FloatVector q3a = q3an.lanewise(VectorOperators.LSHL, 23).add(q3ae.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
            final FloatVector c3a = q3a.blend(limit, q3a.compare(VectorOperators.GT, limit));
            final FloatVector r3a = c3a.reinterpretAsInts().or(u3a.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
            s3a = r3a.fma(ga, s3a);
            final FloatVector u3b = w3.sub(x3b);
            final FloatVector a3b = u3b.abs().add(EPS);
            final IntVector q3bi = a3b.reinterpretAsInts();
            final FloatVector q3bm = q3bi.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
            FloatVector q3bl = q3bm.fma(LOG0, LOG1);
            q3bl = q3bl.fma(q3bm, LOG2);
            q3bl = q3bl.fma(q3bm, LOG3);
            q3bl = q3bl.fma(q3bm, LOG4);
            q3bl = q3bl.fma(q3bm, LOG5);
            q3bl = q3bl.add((FloatVector) q3bi.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0));
            final FloatVector q3by = q3bl.fma(qv, BIAS);
            final IntVector q3bn = (IntVector) q3by.convert(VectorOperators.F2I, 0);
            final FloatVector q3bf = q3by.sub((FloatVector) q3bn.convert(VectorOperators.I2F, 0));
            FloatVector q3be = q3bf.fma(EXP0, EXP1);
            q3be = q3be.fma(q3bf, EXP2);
            q3be = q3be.fma(q3bf, EXP3);
            q3be = q3be.fma(q3bf, EXP4);
            final FloatVector q3b = q3bn.lanewise(VectorOperators.LSHL, 23).add(q3be.reinterpretAsInts()).sub(BIAS_BITS).reinterpretAsFloats();
            final FloatVector c3b = q3b.blend(limit, q3b.compare(VectorOperators.GT, limit));
            final FloatVector r3b = c3b.reinterpretAsInts().or(u3b.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
            s3b = r3b.fma(gb, s3b);
        }
        s0a.intoArray(d, dOff + 0 * ldd);
        s0b.intoArray(d, dOff + 0 * ldd + L);
        s1a.intoArray(d, dOff + 1 * ldd);
        s1b.intoArray(d, dOff + 1 * ldd + L);
        s2a.intoArray(d, dOff + 2 * ldd);
        s2b.intoArray(d, dOff + 2 * ldd + L);
        s3a.intoArray(d, dOff + 3 * ldd);
        s3b.intoArray(d, dOff + 3 * ldd + L);
    }

    /** d[t][j] = sum_m (w[m][t] - x[t][j]) * g[m][j]: Eq. 27 at p = 2 without the clip, exact. */
    static void linearGradTile(float[] wt, int wOff, float[] x, int xOff, int ldx, float[] g, int gOff, int ldg, int mLen,
                               float[] d, int dOff, int ldd) {
        final FloatVector x0a = FloatVector.fromArray(S, x, xOff + 0 * ldx), x0b = FloatVector.fromArray(S, x, xOff + 0 * ldx + L);
        final FloatVector x1a = FloatVector.fromArray(S, x, xOff + 1 * ldx), x1b = FloatVector.fromArray(S, x, xOff + 1 * ldx + L);
        final FloatVector x2a = FloatVector.fromArray(S, x, xOff + 2 * ldx), x2b = FloatVector.fromArray(S, x, xOff + 2 * ldx + L);
        final FloatVector x3a = FloatVector.fromArray(S, x, xOff + 3 * ldx), x3b = FloatVector.fromArray(S, x, xOff + 3 * ldx + L);
        FloatVector s0a = FloatVector.zero(S), s0b = FloatVector.zero(S), s1a = FloatVector.zero(S), s1b = FloatVector.zero(S), s2a = FloatVector.zero(S), s2b = FloatVector.zero(S), s3a = FloatVector.zero(S), s3b = FloatVector.zero(S);
        for (int mm = 0; mm < mLen; mm++) {
            final int go = gOff + mm * ldg, wo = wOff + mm * 4;
            final FloatVector ga = FloatVector.fromArray(S, g, go), gb = FloatVector.fromArray(S, g, go + L);
            final FloatVector w0 = FloatVector.broadcast(S, wt[wo + 0]);
            s0a = w0.sub(x0a).fma(ga, s0a);
            s0b = w0.sub(x0b).fma(gb, s0b);
            final FloatVector w1 = FloatVector.broadcast(S, wt[wo + 1]);
            s1a = w1.sub(x1a).fma(ga, s1a);
            s1b = w1.sub(x1b).fma(gb, s1b);
            final FloatVector w2 = FloatVector.broadcast(S, wt[wo + 2]);
            s2a = w2.sub(x2a).fma(ga, s2a);
            s2b = w2.sub(x2b).fma(gb, s2b);
            final FloatVector w3 = FloatVector.broadcast(S, wt[wo + 3]);
            s3a = w3.sub(x3a).fma(ga, s3a);
            s3b = w3.sub(x3b).fma(gb, s3b);
        }
        s0a.intoArray(d, dOff + 0 * ldd);
        s0b.intoArray(d, dOff + 0 * ldd + L);
        s1a.intoArray(d, dOff + 1 * ldd);
        s1b.intoArray(d, dOff + 1 * ldd + L);
        s2a.intoArray(d, dOff + 2 * ldd);
        s2b.intoArray(d, dOff + 2 * ldd + L);
        s3a.intoArray(d, dOff + 3 * ldd);
        s3b.intoArray(d, dOff + 3 * ldd + L);
    }
}
