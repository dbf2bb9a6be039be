package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.L;

/**
 * |d|^q for one exponent q, in the form the Lp tiles evaluate ({@link ReferenceConv}: |d|^p in the
 * forward, sgn(u) |u|^(p-1) in the input gradient). Write |d| = 2^E M with M in [1, 2); then
 * |d|^q = 2^(E q) M^q, and both factors are cheap on the float's bits:
 * <ul>
 *   <li>2^(E q) for the 8-bit biased exponent e = E + 127 is the product of two table entries,
 *       {@code lo[e mod 2^LO_BITS]} and {@code hi[e >> LO_BITS]}, each read for all lanes at once by a
 *       two-vector lane selection (a single permute instruction). The index is the float's bits shifted
 *       right; the selection wraps it to the table's size, which drops the bits above (sign, exponent high
 *       bits) at no cost. On 16-lane vectors the hi index still holds the sign, so a signed table gives
 *       sgn(d) for free.</li>
 *   <li>M^q is a degree-4 polynomial in M (Chebyshev interpolation on [1, 2], refitted for each q), with M
 *       the mantissa bits under the exponent of 1.0.</li>
 * </ul>
 * That is about 12 vector operations per element in the forward tile, against 24 for the 2^(q log2 |d|)
 * polynomials it replaces. Relative error: below 2e-5 (1.1e-5 at worst over the p tested in LpKernelsTest) for
 * 2^-63 <= |d| < 2^65; below, results may lose precision or flush to zero (|d| < 2^-95 gives exactly 0,
 * so d = 0 gives 0 and sgn(0) = 0); above, |d|^q may overflow to infinity; a non-finite d gives infinity.
 */
final class LpPower {
    /** Exponent bits looked up in {@link #lo}: log2 of the 2L entries two vectors hold, at most 5. */
    static final int LO_BITS = Math.min(5, Integer.numberOfTrailingZeros(2 * L));
    /** Whether the hi index, bits >>> (23 + LO_BITS) wrapped to 2L entries, still holds the sign bit. */
    static final boolean SIGN_IN_HI = (8 - LO_BITS) + 1 <= Integer.numberOfTrailingZeros(2 * L);
    /** The tiles need the exponent's high bits to fit one two-vector table: 8 lanes or more. */
    static final boolean VECTOR_TILES = 8 - LO_BITS <= Integer.numberOfTrailingZeros(2 * L);
    /** The table split: lo[l] = 2^((l - CENTRE) q) keeps both tables' entries inside the float range. */
    private static final int CENTRE = 1 << (LO_BITS - 1);

    /** Table entries as float bits, 2L each, indexed as the tiles index them (wrapped lane selection). */
    final int[] lo = new int[2 * L], hi = new int[2 * L];
    /** M^q ~ c0 + c1 M + c2 M^2 + c3 M^3 + c4 M^4 on [1, 2]. */
    final float c0, c1, c2, c3, c4;
    /** Whether hi carries sgn(d) (then the result is sgn(d) |d|^q; on 8 lanes the tile applies the sign). */
    final boolean signed;

    private LpPower(float q, boolean signed) {
        this.signed = signed;
        final int loMask = (1 << LO_BITS) - 1, hiCount = 1 << (8 - LO_BITS);
        for (int i = 0; i < 2 * L; i++) {
            lo[i] = Float.floatToRawIntBits((float) Math.pow(2, ((i & loMask) - CENTRE) * (double) q));
            // hi index i: the exponent's high bits, and (SIGN_IN_HI) the sign bit above them.
            final int h = i & (hiCount - 1);
            final boolean negative = SIGN_IN_HI && (i & hiCount) != 0;
            // h = 0 (|d| < 2^(2^LO_BITS - 127), 2^-95 or smaller): exactly 0, so d = 0 gives 0 and sgn(0) = 0.
            float value = h == 0 ? 0f : (float) Math.pow(2, ((h << LO_BITS) - 127 + CENTRE) * (double) q);
            hi[i] = Float.floatToRawIntBits(negative && signed ? -value : value);
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
