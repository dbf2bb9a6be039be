package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.L;

/**
 * |d|^q for one exponent q, in the form the Lp tiles evaluate ({@link ReferenceConv}: |d|^p in the
 * forward, sgn(u) |u|^(p-1) in the input gradient). Write |d| = 2^E M with M in [1, 2); then
 * |d|^q = 2^(E q) M^q, and both factors are cheap on the float's bits:
 * <ul>
 *   <li>2^(E q) for the 8-bit biased exponent e = E + 127 is a product of table entries, each read for all
 *       lanes at once by a lane selection indexed by the float's bits shifted right. The selection wraps the
 *       index to the table's size, which drops the bits above at no cost, and the last table's index keeps
 *       the sign bit, so a signed table gives sgn(d) for free.
 *       <ul>
 *         <li>16 lanes or more ({@link #TWO_TABLES}): {@code lo[e mod 32]} and {@code hi[e >> 5]} (with the
 *             sign above), 32 entries each, read by a two-vector selection (one permute instruction,
 *             vpermi2d, on AVX-512).</li>
 *         <li>8 lanes ({@link #THREE_TABLES}): {@code t0[e mod 8]}, {@code t1[(e >> 3) mod 8]} and
 *             {@code t2[e >> 6]} (with the sign above), 8 entries each, read by one-vector selections (vpermd).
 *             AVX2 has no two-vector permute, so there one two-vector selection is several instructions
 *             (docs/benchmarks.md has the probe).</li>
 *       </ul></li>
 *   <li>M^q is a degree-4 polynomial in M (Chebyshev interpolation on [1, 2], refitted for each q), with M
 *       the mantissa bits under the exponent of 1.0.</li>
 * </ul>
 * That is about 12 vector operations per element in the forward tile (15 with three tables), against 24 for
 * the 2^(q log2 |d|) polynomials it replaces. Relative error: below 2e-5 (1.1e-5 at worst over the p tested in
 * LpKernelsTest) for 2^-63 <= |d| < 2^65; below, results may lose precision or flush to zero (|d| < 2^-95 gives
 * exactly 0 with two tables, |d| < 2^-63 with three, so d = 0 gives 0 and sgn(0) = 0); above, |d|^q may
 * overflow to infinity; a non-finite d gives infinity.
 */
final class LpPower {
    /** Two tables read by two-vector selections: 16 lanes or more. */
    static final boolean TWO_TABLES = L >= 16;
    /** Three tables read by one-vector selections: 8 lanes. */
    static final boolean THREE_TABLES = L == 8;
    /** The tiles need one of the two layouts: vectors of 8 floats or more. */
    static final boolean VECTOR_TILES = TWO_TABLES || THREE_TABLES;
    /** Exponent bits looked up in {@link #lo} (two tables). */
    static final int LO_BITS = 5;

    /** Two tables: entries as float bits, 2L each, indexed as the tiles index them (wrapped lane selection). */
    final int[] lo, hi;
    /** Three tables: entries as float bits, L (8) each. */
    final int[] t0, t1, t2;
    /** M^q ~ c0 + c1 M + c2 M^2 + c3 M^3 + c4 M^4 on [1, 2]. */
    final float c0, c1, c2, c3, c4;
    /** {@code signed}: the last table carries sgn(d), so the result is sgn(d) |d|^q. */
    private LpPower(float q, boolean signed) {
        if (TWO_TABLES) {
            // lo[l] = 2^((l - 16) q) and hi[h] = 2^((32 h - 127 + 16) q): both inside the float range for q <= 2.
            final int centre = 1 << (LO_BITS - 1);
            lo = new int[2 * L];
            hi = new int[2 * L];
            for (int i = 0; i < 2 * L; i++) {
                lo[i] = Float.floatToRawIntBits((float) Math.pow(2, ((i & 31) - centre) * (double) q));
                // hi index i: the exponent's 3 high bits, and the sign bit above them.
                final int h = i & 7;
                final boolean negative = (i & 8) != 0;
                // h = 0 (|d| < 2^-95): exactly 0, so d = 0 gives 0 and sgn(0) = 0.
                float value = h == 0 ? 0f : (float) Math.pow(2, ((h << LO_BITS) - 127 + centre) * (double) q);
                hi[i] = Float.floatToRawIntBits(negative && signed ? -value : value);
            }
            t0 = t1 = t2 = null;
        } else {
            // t0[i] = 2^(i q), t1[j] = 2^((8 j - 32) q), t2[s h] = +-2^((64 h - 95) q): exponents sum to e - 127.
            lo = hi = null;
            t0 = new int[8];
            t1 = new int[8];
            t2 = new int[8];
            for (int i = 0; i < 8; i++) {
                t0[i] = Float.floatToRawIntBits((float) Math.pow(2, i * (double) q));
                t1[i] = Float.floatToRawIntBits((float) Math.pow(2, (8 * i - 32) * (double) q));
                final int h = i & 3;
                final boolean negative = (i & 4) != 0;
                // h = 0 (|d| < 2^-63): exactly 0, so d = 0 gives 0 and sgn(0) = 0.
                float value = h == 0 ? 0f : (float) Math.pow(2, (64 * h - 95) * (double) q);
                t2[i] = Float.floatToRawIntBits(negative && signed ? -value : value);
            }
        }
        float[] c = chebyshevPolynomial(q);
        c0 = c[0];
        c1 = c[1];
        c2 = c[2];
        c3 = c[3];
        c4 = c[4];
    }

    /** |d|^p: the Lp forward's distance term. */
    static LpPower magnitude(float p) {
        return new LpPower(p, false);
    }

    /** sgn(u) |u|^q: the Lp input gradient's factor with q = p - 1. */
    static LpPower signedMagnitude(float q) {
        return new LpPower(q, true);
    }

    /**
     * The monomial coefficients of the degree-4 polynomial through M^q at the 5 Chebyshev nodes of
     * [1, 2] (near-minimax: relative error 7.4e-6 at worst over q in [1, 2], evaluated in float).
     */
    private static float[] chebyshevPolynomial(float q) {
        final int n = 5;
        double[][] a = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            double m = 1.5 + 0.5 * Math.cos((2 * i + 1) * Math.PI / (2 * n));
            for (int j = 0; j < n; j++) a[i][j] = Math.pow(m, j);
            a[i][n] = Math.pow(m, q);
        }
        for (int col = 0; col < n; col++) { // Gauss-Jordan with partial pivoting on the 5 x 5 Vandermonde system
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < n; r++) {
                if (r == col) continue;
                double f = a[r][col] / a[col][col];
                for (int j = col; j <= n; j++) a[r][j] -= f * a[col][j];
            }
        }
        float[] c = new float[n];
        for (int i = 0; i < n; i++) c[i] = (float) (a[i][n] / a[i][i]);
        return c;
    }
}
