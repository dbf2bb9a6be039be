package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.L;
import static dev.addernet.tensor.Shapes.roundUp;

import java.util.Arrays;

/**
 * The weight gradient G X^T of a stride-1 "same" layer (2 pad = k - 1) read off the images, with no im2col: each
 * image's input is copied once per kernel column kx, shifted by kx - pad with zeros where the shift leaves the
 * image, and with pad zero rows above and below. Tap (c, ky, kx) of output q = oy w + ox then reads its input at
 * q + ky w of copy kx, channel c, so every (filter, tap) product is a dot product of contiguous floats: a row of the
 * output gradient, read where it lies, against a run of the copy. Nothing is wasted on borders (the copies cost
 * k times the input, small beside the m k^2 products per input).
 */
record ImageWeightGradient(ConvShape s) {
    /** How {@code bench} names the path. */
    static final String TILES = "image-space 4 x 4 dot tiles";

    /**
     * Stride 1, "same" padding, filters in fours (the tile's rows, read in place), and planes of whole vectors, at
     * least 256 positions: each image adds a run of h w floats to every dot product, and on 8 x 8 planes (runs of 64)
     * the packed blocks' product was faster (docs/benchmarks.md). One image's copies and output gradient must fit
     * in twice a packed block's share of the cache, since every 4 x 4 tile reads them again (larger images, as on
     * ImageNet, keep the packed blocks). The tile's 16 accumulators need 32 vector registers: 16-register machines
     * keep the packed blocks too.
     */
    static boolean applies(ConvShape s) {
        final int plane = s.h() * s.w();
        return s.stride() == 1 && 2 * s.pad() == s.k() - 1 && plane % L == 0 && plane >= 256 && s.m() % 4 == 0
                && new ImageWeightGradient(s).floatsPerImage() <= 2L * Blocking.BLOCK_FLOATS && !Microkernels.SIXTEEN_REGISTERS;
    }

    /** Floats of one channel's shifted copy: h + 2 pad rows of w. */
    private int plane() {
        return (s.h() + 2 * s.pad()) * s.w();
    }

    /** Floats of one image's copies. */
    int imageSize() {
        return s.k() * s.c() * plane();
    }

    /** Floats one image brings to a chunk: its copies and its output gradient. */
    private long floatsPerImage() {
        return (long) imageSize() + (long) s.m() * s.h() * s.w();
    }

    /**
     * Images per chunk of copies: as many as keep the copies and their output gradient within a packed block's
     * share of the core's cache ({@link Blocking#BLOCK_FLOATS}), at least one.
     */
    private int imagesPerChunk() {
        return (int) Math.max(1, Blocking.BLOCK_FLOATS / floatsPerImage());
    }

    /** Per tap (c, ky, kx), padded to a multiple of 4 with tap 0's: where its inputs start in an image's copies. */
    int[] tapOffsets() {
        final int k = s.k(), kk = k * k, taps = s.taps();
        int[] offsets = new int[roundUp(taps, 4)];
        for (int t = 0; t < taps; t++) offsets[t] = (t % k * s.c() + t / kk) * plane() + t % kk / k * s.w();
        return offsets;
    }

    /** dst = the shifted copies of images [n0, n1) of x. */
    private void copy(float[] x, int n0, int n1, float[] dst) {
        final int h = s.h(), w = s.w(), p = s.pad(), c = s.c(), k = s.k(), plane = plane();
        Arrays.fill(dst, 0, (n1 - n0) * imageSize(), 0f);
        for (int img = n0; img < n1; img++) {
            for (int kx = 0; kx < k; kx++) {
                for (int ch = 0; ch < c; ch++) {
                    // Column ox of copy kx holds x's column ox + kx - pad (none of them when w < pad: the copy stays zero).
                    final int from = (img * c + ch) * h * w, to = (((img - n0) * k + kx) * c + ch) * plane + p * w;
                    Im2col.copyShiftedRows(x, from, w, h, kx - p, dst, to, w);
                }
            }
        }
    }

    /**
     * Images whose products a lane sums in float before they are added to the partial's doubles: short float sums,
     * as the tiles' {@link Microkernels#KC}, at a reduction's cost per so many images.
     */
    private static final int IMAGES_PER_REDUCTION = 8;

    /**
     * Adds the weight-gradient products of images [n0, n1) to {@code acc}'s tiles (G X^T) and row sums (rowsum(G)),
     * a chunk of images at a time ({@link #imagesPerChunk}): copies in {@code copies} (at least that chunk's
     * {@link #imageSize}s), per-lane sums in {@code lanes} (16 L floats per 4 x 4 tile), added into acc in lane order
     * every {@link #IMAGES_PER_REDUCTION} images and at the end.
     */
    void accumulate(float[] x, float[] gy, int n0, int n1, float[] copies, float[] lanes, ConvKernels.WeightPartial acc) {
        final int chunk = imagesPerChunk(), entries = acc.tiled.length;
        final int[] tapOffsets = tapOffsets();
        Arrays.fill(lanes, 0, entries * L, 0f);
        int summed = 0;
        for (int c0 = n0; c0 < n1; c0 += chunk) {
            final int c1 = Math.min(n1, c0 + chunk);
            copy(x, c0, c1, copies);
            accumulate(gy, c0, c1, copies, tapOffsets, lanes, acc.rowSum);
            summed += c1 - c0;
            if (summed >= IMAGES_PER_REDUCTION || c1 == n1) {
                ConvKernels.WeightPartial.addLaneSums(lanes, entries, acc.tiled, 0);
                Arrays.fill(lanes, 0, entries * L, 0f);
                summed = 0;
            }
        }
    }

    /** Floats of the copies of one chunk of {@link #accumulate}. */
    int chunkFloats() {
        return imagesPerChunk() * imageSize();
    }

    /**
     * Adds the products of images [n0, n1) (their copies in {@code copies}, from {@link #copy}) to {@code lanes}
     * (per-lane sums: 16 L floats per 4 x 4 tile of (filter, tap), tiles laid out as
     * {@link ConvKernels.WeightPartial#at} reads them) and each filter's sum of g to {@code rowSum}.
     */
    private void accumulate(float[] gy, int n0, int n1, float[] copies, int[] tapOffsets, float[] lanes, double[] rowSum) {
        final int m = s.m(), hw = s.h() * s.w(), images = n1 - n0, taps = tapOffsets.length;
        final int tapTiles = roundUp(s.taps(), Microkernels.MR) / 4;
        for (int f = 0; f < m; f += 4) {
            for (int t = 0; t < taps; t += 4) {
                Microkernels.dot4x4(gy, (n0 * m + f) * hw, hw, hw, m * hw, copies, tapOffsets[t], tapOffsets[t + 1], tapOffsets[t + 2],
                        tapOffsets[t + 3], imageSize(), images, lanes, null, (f / 4 * tapTiles + t / 4) * 16 * L);
            }
        }
        for (int f = 0; f < m; f++) {
            for (int img = n0; img < n1; img++) rowSum[f] += Microkernels.sum(gy, (img * m + f) * hw, hw);
        }
    }
}
