package dev.addernet.kernel;

/**
 * The bordered copy of a group's output gradient that the image-space input gradient reads
 * ({@link FilterKernel.BackwardPass#inputGroup}, stride 1, pad <= k - 1): with it, tap t of input pixel p finds
 * its output gradient, or a zero past the border, at {@code base(p) + shift(t)} within a filter's share, with no
 * bounds tests. Two layouts, by whether the input's rows are whole vectors:
 * <ul>
 *   <li>Whole-vector rows: one plane per filter, rows of w + k - 1 with a border of k - 1 - pad on every
 *       side; a vector of pixels lies in one row. The smaller copy (the other layout copies each plane k
 *       times), so it is kept wherever rows allow (docs/benchmarks.md).</li>
 *   <li>Narrower rows (8 x 8 planes at 16 lanes): k planes per filter, one per kernel column, each shifted by
 *       its column with zeros where the shift leaves the image, rows as wide as the input's. L consecutive
 *       pixels then read L consecutive floats of a plane whichever rows they span.</li>
 * </ul>
 * In both, row r holds the output row r - (k - 1 - pad).
 */
record PaddedGradient(ConvShape s, boolean perColumn) {
    static PaddedGradient of(ConvShape s) {
        return new PaddedGradient(s, s.w() % Microkernels.L != 0);
    }

    private int rowWidth() {
        return perColumn ? s.w() : s.w() + s.k() - 1;
    }

    private int plane() {
        return (s.h() + s.k() - 1) * rowWidth();
    }

    /** Floats of one filter's share. */
    int filterSize() {
        return (perColumn ? s.k() : 1) * plane();
    }

    /** Where pixel p (row-major within the input plane) reads tap 0's counterpart: its own place in the copy. */
    int base(int p) {
        return perColumn ? p : p / s.w() * rowWidth() + p % s.w();
    }

    /** Per tap t = ky k + kx, the offset from {@link #base}: row k - 1 - ky below, column k - 1 - kx right (or plane kx). */
    int[] shifts() {
        final int k = s.k();
        int[] shift = new int[k * k];
        for (int t = 0; t < k * k; t++) {
            final int ky = t / k, kx = t % k;
            shift[t] = (k - 1 - ky) * rowWidth() + (perColumn ? kx * plane() : k - 1 - kx);
        }
        return shift;
    }

    /** Fills gp with the copy of gy's images [n0, n1): filterSize() floats per filter and image. */
    void fill(float[] gy, int n0, int n1, float[] gp) {
        final int k = s.k(), w = s.w(), b = k - 1 - s.pad(), rw = rowWidth(), plane = plane();
        final int oh = s.oh(), ow = s.ow(), filters = (n1 - n0) * s.m();
        java.util.Arrays.fill(gp, 0, filters * filterSize(), 0f);
        for (int f = 0; f < filters; f++) {
            final int from = (n0 * s.m() + f) * oh * ow;
            if (!perColumn) {
                Im2col.copyShiftedRows(gy, from, ow, oh, 0, gp, f * plane + b * rw + b, rw);
                continue;
            }
            // Column ix of plane kx holds gy's column ix + pad - kx.
            for (int kx = 0; kx < k; kx++) Im2col.copyShiftedRows(gy, from, ow, oh, s.pad() - kx, gp, (f * k + kx) * plane + b * w, w);
        }
    }
}
