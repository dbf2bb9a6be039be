package dev.addernet.kernel;

import java.util.Arrays;

/**
 * Packs a block of columns of a convolution into a [rows][ld] matrix (one row per filter tap, one
 * column per output position), and scatters such a block back (col2im). Padded taps read as zero,
 * so an adder layer sees them as x = 0 (the reference's zero padding), and col2im drops them.
 */
final class Im2col {
    private Im2col() {}

    /**
     * dst[t][j - j0] = x at the tap t of column j, for j in [j0, j0 + nb); rows t >= taps and columns
     * >= nb up to ld are zero-filled so the microkernels may read whole padded tiles.
     */
    static void pack(float[] x, ConvShape s, int j0, int nb, float[] dst, int rows, int ld) {
        final int k = s.k(), kk = k * k, taps = s.taps(), ow = s.ow(), p = s.positions();
        final int h = s.h(), w = s.w(), stride = s.stride(), pad = s.pad(), c = s.c();
        for (int t = 0; t < taps; t++) {
            final int ch = t / kk, kh = (t % kk) / k, kw = t % k;
            final int row = t * ld;
            int jj = 0;
            while (jj < nb) {
                final int j = j0 + jj;
                final int img = j / p, pos = j % p, oy = pos / ow, ox0 = pos % ow;
                final int run = Math.min(nb - jj, ow - ox0);
                final int iy = oy * stride - pad + kh;
                final int dstAt = row + jj;
                if (iy < 0 || iy >= h) {
                    Arrays.fill(dst, dstAt, dstAt + run, 0f);
                } else {
                    final int base = ((img * c + ch) * h + iy) * w;
                    int ix = ox0 * stride - pad + kw;
                    if (stride == 1 && ix >= 0 && ix + run <= w) {
                        System.arraycopy(x, base + ix, dst, dstAt, run);
                    } else {
                        for (int r = 0; r < run; r++, ix += stride) {
                            dst[dstAt + r] = (ix >= 0 && ix < w) ? x[base + ix] : 0f;
                        }
                    }
                }
                jj += run;
            }
            if (nb < ld) Arrays.fill(dst, row + nb, row + ld, 0f);
        }
        if (rows > taps) Arrays.fill(dst, taps * ld, rows * ld, 0f);
    }

    /** dx[tap of column j] += src[t][j - j0] for the block's real taps (padded taps are dropped). */
    static void scatterAdd(float[] src, int ld, ConvShape s, int j0, int nb, float[] dx) {
        final int k = s.k(), kk = k * k, taps = s.taps(), ow = s.ow(), p = s.positions();
        final int h = s.h(), w = s.w(), stride = s.stride(), pad = s.pad(), c = s.c();
        for (int t = 0; t < taps; t++) {
            final int ch = t / kk, kh = (t % kk) / k, kw = t % k;
            final int row = t * ld;
            int jj = 0;
            while (jj < nb) {
                final int j = j0 + jj;
                final int img = j / p, pos = j % p, oy = pos / ow, ox0 = pos % ow;
                final int run = Math.min(nb - jj, ow - ox0);
                final int iy = oy * stride - pad + kh;
                if (iy >= 0 && iy < h) {
                    final int base = ((img * c + ch) * h + iy) * w;
                    int ix = ox0 * stride - pad + kw;
                    for (int r = 0; r < run; r++, ix += stride) {
                        if (ix >= 0 && ix < w) dx[base + ix] += src[row + jj + r];
                    }
                }
                jj += run;
            }
        }
    }
}
