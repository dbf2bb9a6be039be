package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.L;
import static dev.addernet.tensor.Shapes.roundUp;

import java.util.Arrays;

/**
 * The weight gradient G X^T of a stride-1 "same" layer (2 pad = k - 1, pad >= 1) read off the bordered images,
 * with no im2col. The output gradient is copied with the bordered images' row width wp = w + 2 pad, zeros past its
 * ow columns; then output q = oy wp + ox of tap (c, ky, kx) reads its input at c hp wp + ky wp + kx + q of the
 * bordered image, and each product of a filter and a tap is a dot product over contiguous floats. The zero columns
 * (a fraction 2 pad / wp of the work) cancel the products that wrap into the next row; the bordered copy's slack of
 * two vectors (Im2col.pad, zeroed) covers the reads past its last plane.
 */
record ImageWeightGradient(ConvShape s) {
    /**
     * Stride 1, "same" padding, and at most an eighth of the products spent on the zero columns (w >= 14 pad): on
     * 8 x 8 planes (a fifth) the packed blocks' product was faster (docs/benchmarks.md).
     */
    static boolean applies(ConvShape s) {
        return s.stride() == 1 && s.pad() >= 1 && 2 * s.pad() == s.k() - 1 && s.w() >= 14 * s.pad();
    }

    private int rowWidth() {
        return s.w() + 2 * s.pad();
    }

    /** Floats of one filter's copied gradient per image: oh rows of wp, rounded up to whole vectors. */
    int length() {
        return roundUp(s.oh() * rowWidth(), L);
    }

    /** Filters of the copy: a multiple of 4 (the tiles' rows), those past m all zero. */
    private int filters() {
        return roundUp(s.m(), 4);
    }

    /** Floats of the copy of images [n0, n1). */
    int size(int images) {
        return images * filters() * length();
    }

    /** Fills dst with the copy of gy's images [n0, n1). */
    void fill(float[] gy, int n0, int n1, float[] dst) {
        final int m = s.m(), oh = s.oh(), ow = s.ow(), wp = rowWidth(), len = length(), filters = filters();
        Arrays.fill(dst, 0, size(n1 - n0), 0f);
        for (int img = n0; img < n1; img++) {
            for (int f = 0; f < m; f++) {
                final int from = (img * m + f) * oh * ow, to = ((img - n0) * filters + f) * len;
                for (int oy = 0; oy < oh; oy++) System.arraycopy(gy, from + oy * ow, dst, to + oy * wp, ow);
            }
        }
    }

    /** Per tap (c, ky, kx), padded to a multiple of 4 with tap 0's: where its inputs start in a bordered image. */
    int[] tapOffsets() {
        final int k = s.k(), kk = k * k, wp = rowWidth(), plane = (s.h() + 2 * s.pad()) * wp, taps = s.taps();
        int[] offsets = new int[roundUp(taps, 4)];
        for (int t = 0; t < taps; t++) offsets[t] = t / kk * plane + t % kk / k * wp + t % k;
        return offsets;
    }

    /**
     * Adds the products of {@code images} images to {@code lanes} (their per-lane sums, 4 x 4 tiles of L floats per
     * (filter, tap), see {@link ConvKernels.WeightPartial#at}) and each filter's sum of g to {@code rowSum}: xp holds the
     * bordered images (Im2col.pad), rows their gradient's copy ({@link #fill}).
     */
    void accumulate(float[] xp, float[] rows, int images, int[] tapOffsets, float[] lanes, double[] rowSum) {
        final int len = length(), filters = filters(), taps = tapOffsets.length, image = s.c() * (s.h() + 2 * s.pad()) * rowWidth();
        final int tapTiles = roundUp(s.taps(), Microkernels.MR) / 4;
        for (int f = 0; f < filters; f += 4) {
            for (int t = 0; t < taps; t += 4) {
                Microkernels.imageDot4x4(rows, f * len, len, filters * len, xp, tapOffsets[t], tapOffsets[t + 1], tapOffsets[t + 2],
                        tapOffsets[t + 3], image, images, lanes, (f / 4 * tapTiles + t / 4) * 16 * L);
            }
        }
        for (int f = 0; f < s.m(); f++) {
            double sum = 0;
            for (int img = 0; img < images; img++) {
                for (int j = (img * filters + f) * len, e = j + len; j < e; j++) sum += rows[j];
            }
            rowSum[f] += sum;
        }
    }
}
