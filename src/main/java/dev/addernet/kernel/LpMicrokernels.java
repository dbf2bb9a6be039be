package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.I;
import static dev.addernet.kernel.Microkernels.KC;
import static dev.addernet.kernel.Microkernels.L;
import static dev.addernet.kernel.Microkernels.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The register tiles of the Lp-AdderNet ({@link ReferenceConv}) for 1 < p < 2, and the exact
 * p = 2 forward. |d|^p and sgn(u) |u|^(p-1) are a product of table entries picked by the float's
 * exponent bits and a degree-4 polynomial in its mantissa ({@link LpPower}): about 12 vector operations
 * per element in the forward (two tables on 16 lanes: {@link #lpTile}; three on 8: {@link #lpTile8}), where the Vector API's lanewise POW runs about 15x slower than |x - w|.
 * Vectors of fewer than 8 floats cannot hold the tables: there the scalar tiles at the end compute the
 * powers with {@link Math#pow} (slow, exact).
 *
 * <p>Every tile writes its statements out inline (generated once by a script, not kept): a helper
 * method taking vectors would box them once the tile is too large to inline into.
 */
final class LpMicrokernels {
    private static final int MANTISSA_ = 0x007fffff, ONE_BITS_ = 0x3f800000;
    private static final int PLUS_ONE_BITS_ = 0x3f800000, MINUS_ONE_BITS_ = 0xbf800000;
    private static final int HI_SHIFT = 23 + LpPower.LO_BITS;

    private LpMicrokernels() {}

    /**
     * c[r][j] = -sum_k |b[k][j] - a[k][r]|^p for 4 rows and 32 columns, 1 < p < 2, with |d|^p
     * evaluated as {@link LpPower} describes ({@code power} = {@link LpPower#magnitude}(p)); a packed [k][4].
     */
    static void lpTile(float[] a, int aOff, float[] b, int bOff, int ldb, int kLen, LpPower power, float[] c, int cOff, int ldc) {
        final IntVector LO_A = IntVector.fromArray(I, power.lo, 0), LO_B = IntVector.fromArray(I, power.lo, L);
        final IntVector HI_A = IntVector.fromArray(I, power.hi, 0), HI_B = IntVector.fromArray(I, power.hi, L);
        final IntVector MANTISSA = IntVector.broadcast(I, MANTISSA_), ONE = IntVector.broadcast(I, ONE_BITS_);
        final FloatVector C0 = FloatVector.broadcast(S, power.c0), C1 = FloatVector.broadcast(S, power.c1), C2 = FloatVector.broadcast(S, power.c2);
        final FloatVector C3 = FloatVector.broadcast(S, power.c3), C4 = FloatVector.broadcast(S, power.c4);
        for (int k0 = 0; k0 < kLen; k0 += KC) {
            final int k1 = Math.min(kLen, k0 + KC);
            FloatVector s0a = FloatVector.zero(S), s0b = FloatVector.zero(S), s1a = FloatVector.zero(S), s1b = FloatVector.zero(S), s2a = FloatVector.zero(S), s2b = FloatVector.zero(S), s3a = FloatVector.zero(S), s3b = FloatVector.zero(S);
            for (int kk = k0; kk < k1; kk++) {
                final int bo = bOff + kk * ldb, ao = aOff + kk * 4;
                final FloatVector xa = FloatVector.fromArray(S, b, bo), xb = FloatVector.fromArray(S, b, bo + L);
                final FloatVector w0 = FloatVector.broadcast(S, a[ao + 0]);
                final IntVector i0a = xa.sub(w0).reinterpretAsInts();
                final FloatVector m0a = i0a.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s0a = i0a.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i0a.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).fma(m0a.fma(C4, C3).fma(m0a, C2).fma(m0a, C1).fma(m0a, C0), s0a);
                final IntVector i0b = xb.sub(w0).reinterpretAsInts();
                final FloatVector m0b = i0b.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s0b = i0b.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i0b.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).fma(m0b.fma(C4, C3).fma(m0b, C2).fma(m0b, C1).fma(m0b, C0), s0b);
                final FloatVector w1 = FloatVector.broadcast(S, a[ao + 1]);
                final IntVector i1a = xa.sub(w1).reinterpretAsInts();
                final FloatVector m1a = i1a.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s1a = i1a.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i1a.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).fma(m1a.fma(C4, C3).fma(m1a, C2).fma(m1a, C1).fma(m1a, C0), s1a);
                final IntVector i1b = xb.sub(w1).reinterpretAsInts();
                final FloatVector m1b = i1b.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s1b = i1b.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i1b.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).fma(m1b.fma(C4, C3).fma(m1b, C2).fma(m1b, C1).fma(m1b, C0), s1b);
                final FloatVector w2 = FloatVector.broadcast(S, a[ao + 2]);
                final IntVector i2a = xa.sub(w2).reinterpretAsInts();
                final FloatVector m2a = i2a.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s2a = i2a.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i2a.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).fma(m2a.fma(C4, C3).fma(m2a, C2).fma(m2a, C1).fma(m2a, C0), s2a);
                final IntVector i2b = xb.sub(w2).reinterpretAsInts();
                final FloatVector m2b = i2b.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s2b = i2b.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i2b.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).fma(m2b.fma(C4, C3).fma(m2b, C2).fma(m2b, C1).fma(m2b, C0), s2b);
                final FloatVector w3 = FloatVector.broadcast(S, a[ao + 3]);
                final IntVector i3a = xa.sub(w3).reinterpretAsInts();
                final FloatVector m3a = i3a.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s3a = i3a.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i3a.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).fma(m3a.fma(C4, C3).fma(m3a, C2).fma(m3a, C1).fma(m3a, C0), s3a);
                final IntVector i3b = xb.sub(w3).reinterpretAsInts();
                final FloatVector m3b = i3b.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s3b = i3b.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i3b.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).fma(m3b.fma(C4, C3).fma(m3b, C2).fma(m3b, C1).fma(m3b, C0), s3b);
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
     * {@link #lpTile} for 8-lane vectors: 2^(E p) from three one-vector tables ({@link LpPower#THREE_TABLES}),
     * each read by a one-vector lane selection. With AVX2's instructions the two-vector selection of
     * {@link #lpTile} has no single instruction (see {@link LpPower}).
     */
    static void lpTile8(float[] a, int aOff, float[] b, int bOff, int ldb, int kLen, LpPower power, float[] c, int cOff, int ldc) {
        final IntVector T0 = IntVector.fromArray(I, power.t0, 0), T1 = IntVector.fromArray(I, power.t1, 0), T2 = IntVector.fromArray(I, power.t2, 0);
        final IntVector MANTISSA = IntVector.broadcast(I, MANTISSA_), ONE = IntVector.broadcast(I, ONE_BITS_);
        final FloatVector C0 = FloatVector.broadcast(S, power.c0), C1 = FloatVector.broadcast(S, power.c1), C2 = FloatVector.broadcast(S, power.c2);
        final FloatVector C3 = FloatVector.broadcast(S, power.c3), C4 = FloatVector.broadcast(S, power.c4);
        for (int k0 = 0; k0 < kLen; k0 += KC) {
            final int k1 = Math.min(kLen, k0 + KC);
            FloatVector s0a = FloatVector.zero(S), s0b = FloatVector.zero(S), s1a = FloatVector.zero(S), s1b = FloatVector.zero(S), s2a = FloatVector.zero(S), s2b = FloatVector.zero(S), s3a = FloatVector.zero(S), s3b = FloatVector.zero(S);
            for (int kk = k0; kk < k1; kk++) {
                final int bo = bOff + kk * ldb, ao = aOff + kk * 4;
                final FloatVector xa = FloatVector.fromArray(S, b, bo), xb = FloatVector.fromArray(S, b, bo + L);
                final FloatVector w0 = FloatVector.broadcast(S, a[ao + 0]);
                final IntVector i0a = xa.sub(w0).reinterpretAsInts();
                final FloatVector m0a = i0a.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s0a = i0a.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i0a.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i0a.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).fma(m0a.fma(C4, C3).fma(m0a, C2).fma(m0a, C1).fma(m0a, C0), s0a);
                final IntVector i0b = xb.sub(w0).reinterpretAsInts();
                final FloatVector m0b = i0b.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s0b = i0b.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i0b.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i0b.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).fma(m0b.fma(C4, C3).fma(m0b, C2).fma(m0b, C1).fma(m0b, C0), s0b);
                final FloatVector w1 = FloatVector.broadcast(S, a[ao + 1]);
                final IntVector i1a = xa.sub(w1).reinterpretAsInts();
                final FloatVector m1a = i1a.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s1a = i1a.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i1a.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i1a.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).fma(m1a.fma(C4, C3).fma(m1a, C2).fma(m1a, C1).fma(m1a, C0), s1a);
                final IntVector i1b = xb.sub(w1).reinterpretAsInts();
                final FloatVector m1b = i1b.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s1b = i1b.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i1b.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i1b.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).fma(m1b.fma(C4, C3).fma(m1b, C2).fma(m1b, C1).fma(m1b, C0), s1b);
                final FloatVector w2 = FloatVector.broadcast(S, a[ao + 2]);
                final IntVector i2a = xa.sub(w2).reinterpretAsInts();
                final FloatVector m2a = i2a.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s2a = i2a.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i2a.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i2a.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).fma(m2a.fma(C4, C3).fma(m2a, C2).fma(m2a, C1).fma(m2a, C0), s2a);
                final IntVector i2b = xb.sub(w2).reinterpretAsInts();
                final FloatVector m2b = i2b.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s2b = i2b.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i2b.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i2b.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).fma(m2b.fma(C4, C3).fma(m2b, C2).fma(m2b, C1).fma(m2b, C0), s2b);
                final FloatVector w3 = FloatVector.broadcast(S, a[ao + 3]);
                final IntVector i3a = xa.sub(w3).reinterpretAsInts();
                final FloatVector m3a = i3a.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s3a = i3a.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i3a.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i3a.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).fma(m3a.fma(C4, C3).fma(m3a, C2).fma(m3a, C1).fma(m3a, C0), s3a);
                final IntVector i3b = xb.sub(w3).reinterpretAsInts();
                final FloatVector m3b = i3b.and(MANTISSA).or(ONE).reinterpretAsFloats();
                s3b = i3b.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i3b.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i3b.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).fma(m3b.fma(C4, C3).fma(m3b, C2).fma(m3b, C1).fma(m3b, C0), s3b);
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

    /** c[r][j] = -sum_k (b[k][j] - a[k][r])^2 for 4 rows and 32 columns: the L2-AdderNet, exact; {@code p} unused. */
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
     * The Lp input gradient for 4 taps and 32 columns:
     * d[t][j] = sum_m G(w[m][t] - x[t][j]) * g[m][j] with G = {@link ReferenceConv#inputGradient}
     * (sgn(u) |u|^(p-1), clipped to [-1, 1] when {@code clip}). {@code power} = {@link LpPower#signedMagnitude}(p - 1); {@code wt} holds the 4
     * taps' weights packed [m][4]. The clip acts on u's bits: a signed minimum with +1.0 bounds positive
     * u, an unsigned minimum with -1.0 bounds the magnitude of negative u, and min(|u|, 1)^q = min(|u|^q, 1).
     */
    static void lpGradTile(float[] wt, int wOff, float[] x, int xOff, int ldx, float[] g, int gOff, int ldg, int mLen,
                           LpPower power, boolean clip, float[] d, int dOff, int ldd) {
        final IntVector LO_A = IntVector.fromArray(I, power.lo, 0), LO_B = IntVector.fromArray(I, power.lo, L);
        final IntVector HI_A = IntVector.fromArray(I, power.hi, 0), HI_B = IntVector.fromArray(I, power.hi, L);
        final IntVector MANTISSA = IntVector.broadcast(I, MANTISSA_), ONE = IntVector.broadcast(I, ONE_BITS_);
        final FloatVector C0 = FloatVector.broadcast(S, power.c0), C1 = FloatVector.broadcast(S, power.c1), C2 = FloatVector.broadcast(S, power.c2);
        final FloatVector C3 = FloatVector.broadcast(S, power.c3), C4 = FloatVector.broadcast(S, power.c4);
        final IntVector UPPER = IntVector.broadcast(I, clip ? PLUS_ONE_BITS_ : Integer.MAX_VALUE);
        final IntVector LOWER = IntVector.broadcast(I, clip ? MINUS_ONE_BITS_ : -1);
        final FloatVector x0a = FloatVector.fromArray(S, x, xOff + 0 * ldx), x0b = FloatVector.fromArray(S, x, xOff + 0 * ldx + L);
        final FloatVector x1a = FloatVector.fromArray(S, x, xOff + 1 * ldx), x1b = FloatVector.fromArray(S, x, xOff + 1 * ldx + L);
        final FloatVector x2a = FloatVector.fromArray(S, x, xOff + 2 * ldx), x2b = FloatVector.fromArray(S, x, xOff + 2 * ldx + L);
        final FloatVector x3a = FloatVector.fromArray(S, x, xOff + 3 * ldx), x3b = FloatVector.fromArray(S, x, xOff + 3 * ldx + L);
        FloatVector s0a = FloatVector.zero(S), s0b = FloatVector.zero(S), s1a = FloatVector.zero(S), s1b = FloatVector.zero(S), s2a = FloatVector.zero(S), s2b = FloatVector.zero(S), s3a = FloatVector.zero(S), s3b = FloatVector.zero(S);
        for (int mm = 0; mm < mLen; mm++) {
            final int go = gOff + mm * ldg, wo = wOff + mm * 4;
            final FloatVector ga = FloatVector.fromArray(S, g, go), gb = FloatVector.fromArray(S, g, go + L);
            final FloatVector w0 = FloatVector.broadcast(S, wt[wo + 0]);
            final IntVector i0a = w0.sub(x0a).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m0a = i0a.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r0a = i0a.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i0a.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).mul(m0a.fma(C4, C3).fma(m0a, C2).fma(m0a, C1).fma(m0a, C0));
            s0a = r0a.fma(ga, s0a);
            final IntVector i0b = w0.sub(x0b).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m0b = i0b.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r0b = i0b.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i0b.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).mul(m0b.fma(C4, C3).fma(m0b, C2).fma(m0b, C1).fma(m0b, C0));
            s0b = r0b.fma(gb, s0b);
            final FloatVector w1 = FloatVector.broadcast(S, wt[wo + 1]);
            final IntVector i1a = w1.sub(x1a).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m1a = i1a.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r1a = i1a.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i1a.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).mul(m1a.fma(C4, C3).fma(m1a, C2).fma(m1a, C1).fma(m1a, C0));
            s1a = r1a.fma(ga, s1a);
            final IntVector i1b = w1.sub(x1b).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m1b = i1b.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r1b = i1b.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i1b.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).mul(m1b.fma(C4, C3).fma(m1b, C2).fma(m1b, C1).fma(m1b, C0));
            s1b = r1b.fma(gb, s1b);
            final FloatVector w2 = FloatVector.broadcast(S, wt[wo + 2]);
            final IntVector i2a = w2.sub(x2a).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m2a = i2a.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r2a = i2a.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i2a.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).mul(m2a.fma(C4, C3).fma(m2a, C2).fma(m2a, C1).fma(m2a, C0));
            s2a = r2a.fma(ga, s2a);
            final IntVector i2b = w2.sub(x2b).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m2b = i2b.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r2b = i2b.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i2b.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).mul(m2b.fma(C4, C3).fma(m2b, C2).fma(m2b, C1).fma(m2b, C0));
            s2b = r2b.fma(gb, s2b);
            final FloatVector w3 = FloatVector.broadcast(S, wt[wo + 3]);
            final IntVector i3a = w3.sub(x3a).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m3a = i3a.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r3a = i3a.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i3a.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).mul(m3a.fma(C4, C3).fma(m3a, C2).fma(m3a, C1).fma(m3a, C0));
            s3a = r3a.fma(ga, s3a);
            final IntVector i3b = w3.sub(x3b).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m3b = i3b.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r3b = i3b.lanewise(VectorOperators.LSHR, 23).selectFrom(LO_A, LO_B).reinterpretAsFloats().mul(i3b.lanewise(VectorOperators.LSHR, HI_SHIFT).selectFrom(HI_A, HI_B).reinterpretAsFloats()).mul(m3b.fma(C4, C3).fma(m3b, C2).fma(m3b, C1).fma(m3b, C0));
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

    /** {@link #lpGradTile} for 8-lane vectors, from the three one-vector tables as {@link #lpTile8}. */
    static void lpGradTile8(float[] wt, int wOff, float[] x, int xOff, int ldx, float[] g, int gOff, int ldg, int mLen,
                           LpPower power, boolean clip, float[] d, int dOff, int ldd) {
        final IntVector T0 = IntVector.fromArray(I, power.t0, 0), T1 = IntVector.fromArray(I, power.t1, 0), T2 = IntVector.fromArray(I, power.t2, 0);
        final IntVector MANTISSA = IntVector.broadcast(I, MANTISSA_), ONE = IntVector.broadcast(I, ONE_BITS_);
        final FloatVector C0 = FloatVector.broadcast(S, power.c0), C1 = FloatVector.broadcast(S, power.c1), C2 = FloatVector.broadcast(S, power.c2);
        final FloatVector C3 = FloatVector.broadcast(S, power.c3), C4 = FloatVector.broadcast(S, power.c4);
        final IntVector UPPER = IntVector.broadcast(I, clip ? PLUS_ONE_BITS_ : Integer.MAX_VALUE);
        final IntVector LOWER = IntVector.broadcast(I, clip ? MINUS_ONE_BITS_ : -1);
        final FloatVector x0a = FloatVector.fromArray(S, x, xOff + 0 * ldx), x0b = FloatVector.fromArray(S, x, xOff + 0 * ldx + L);
        final FloatVector x1a = FloatVector.fromArray(S, x, xOff + 1 * ldx), x1b = FloatVector.fromArray(S, x, xOff + 1 * ldx + L);
        final FloatVector x2a = FloatVector.fromArray(S, x, xOff + 2 * ldx), x2b = FloatVector.fromArray(S, x, xOff + 2 * ldx + L);
        final FloatVector x3a = FloatVector.fromArray(S, x, xOff + 3 * ldx), x3b = FloatVector.fromArray(S, x, xOff + 3 * ldx + L);
        FloatVector s0a = FloatVector.zero(S), s0b = FloatVector.zero(S), s1a = FloatVector.zero(S), s1b = FloatVector.zero(S), s2a = FloatVector.zero(S), s2b = FloatVector.zero(S), s3a = FloatVector.zero(S), s3b = FloatVector.zero(S);
        for (int mm = 0; mm < mLen; mm++) {
            final int go = gOff + mm * ldg, wo = wOff + mm * 4;
            final FloatVector ga = FloatVector.fromArray(S, g, go), gb = FloatVector.fromArray(S, g, go + L);
            final FloatVector w0 = FloatVector.broadcast(S, wt[wo + 0]);
            final IntVector i0a = w0.sub(x0a).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m0a = i0a.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r0a = i0a.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i0a.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i0a.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).mul(m0a.fma(C4, C3).fma(m0a, C2).fma(m0a, C1).fma(m0a, C0));
            s0a = r0a.fma(ga, s0a);
            final IntVector i0b = w0.sub(x0b).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m0b = i0b.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r0b = i0b.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i0b.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i0b.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).mul(m0b.fma(C4, C3).fma(m0b, C2).fma(m0b, C1).fma(m0b, C0));
            s0b = r0b.fma(gb, s0b);
            final FloatVector w1 = FloatVector.broadcast(S, wt[wo + 1]);
            final IntVector i1a = w1.sub(x1a).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m1a = i1a.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r1a = i1a.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i1a.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i1a.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).mul(m1a.fma(C4, C3).fma(m1a, C2).fma(m1a, C1).fma(m1a, C0));
            s1a = r1a.fma(ga, s1a);
            final IntVector i1b = w1.sub(x1b).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m1b = i1b.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r1b = i1b.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i1b.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i1b.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).mul(m1b.fma(C4, C3).fma(m1b, C2).fma(m1b, C1).fma(m1b, C0));
            s1b = r1b.fma(gb, s1b);
            final FloatVector w2 = FloatVector.broadcast(S, wt[wo + 2]);
            final IntVector i2a = w2.sub(x2a).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m2a = i2a.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r2a = i2a.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i2a.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i2a.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).mul(m2a.fma(C4, C3).fma(m2a, C2).fma(m2a, C1).fma(m2a, C0));
            s2a = r2a.fma(ga, s2a);
            final IntVector i2b = w2.sub(x2b).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m2b = i2b.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r2b = i2b.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i2b.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i2b.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).mul(m2b.fma(C4, C3).fma(m2b, C2).fma(m2b, C1).fma(m2b, C0));
            s2b = r2b.fma(gb, s2b);
            final FloatVector w3 = FloatVector.broadcast(S, wt[wo + 3]);
            final IntVector i3a = w3.sub(x3a).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m3a = i3a.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r3a = i3a.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i3a.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i3a.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).mul(m3a.fma(C4, C3).fma(m3a, C2).fma(m3a, C1).fma(m3a, C0));
            s3a = r3a.fma(ga, s3a);
            final IntVector i3b = w3.sub(x3b).reinterpretAsInts().min(UPPER).lanewise(VectorOperators.UMIN, LOWER);
            final FloatVector m3b = i3b.and(MANTISSA).or(ONE).reinterpretAsFloats();
            final FloatVector r3b = i3b.lanewise(VectorOperators.LSHR, 23).selectFrom(T0).reinterpretAsFloats().mul(i3b.lanewise(VectorOperators.LSHR, 26).selectFrom(T1).reinterpretAsFloats()).mul(i3b.lanewise(VectorOperators.LSHR, 29).selectFrom(T2).reinterpretAsFloats()).mul(m3b.fma(C4, C3).fma(m3b, C2).fma(m3b, C1).fma(m3b, C0));
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

    /** d[t][j] = sum_m (w[m][t] - x[t][j]) * g[m][j]: the input gradient at p = 2 without the clip, exact. */
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

    /** {@link #lpTile} for vectors too short for the tables ({@link LpPower#VECTOR_TILES} false): Math.pow. */
    static void lpTileScalar(float[] a, int aOff, float[] b, int bOff, int ldb, int kLen, float p, float[] c, int cOff, int ldc) {
        for (int r = 0; r < 4; r++) {
            for (int j = 0; j < 2 * L; j++) {
                float sum = 0;
                for (int kk = 0; kk < kLen; kk++) sum += (float) Math.pow(Math.abs(b[bOff + kk * ldb + j] - a[aOff + kk * 4 + r]), p);
                c[cOff + r * ldc + j] = -sum;
            }
        }
    }

    /** {@link #lpGradTile} for vectors too short for the tables ({@link LpPower#VECTOR_TILES} false): Math.pow. */
    static void lpGradTileScalar(float[] wt, int wOff, float[] x, int xOff, int ldx, float[] g, int gOff, int ldg, int mLen,
                                 float p, boolean clip, float[] d, int dOff, int ldd) {
        for (int t = 0; t < 4; t++) {
            for (int j = 0; j < 2 * L; j++) {
                float sum = 0;
                for (int mm = 0; mm < mLen; mm++) {
                    float u = wt[wOff + mm * 4 + t] - x[xOff + t * ldx + j];
                    float grad = Math.signum(u) * (float) Math.pow(Math.abs(u), p - 1);
                    if (clip) grad = Math.max(-1f, Math.min(1f, grad));
                    sum += grad * g[gOff + mm * ldg + j];
                }
                d[dOff + t * ldd + j] = sum;
            }
        }
    }
}
