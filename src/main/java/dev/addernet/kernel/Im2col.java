package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.I;
import static dev.addernet.kernel.Microkernels.L;
import static dev.addernet.kernel.Microkernels.S;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Packs a block of columns of a convolution into a [rows][ld] matrix (one row per filter tap, one
 * column per output position), and scatters such a block back (col2im).
 *
 * <p>Both work on a zero-bordered copy of the images ({@link #pad}), so the zero padding needs no
 * bounds tests: a padded tap reads 0, which an adder layer sees as x = 0 (the reference's zero
 * padding), and col2im's writes to the border are simply never copied back ({@link #unpadAdd}). Without
 * padding the images are their own bordered copy: the kernels then read and accumulate in place
 * ({@link #needsNoCopy}).
 */
final class Im2col {
    private Im2col() {}

    static int paddedSize(ConvShape s, int images) {
        return images * s.c() * (s.h() + 2 * s.pad()) * (s.w() + 2 * s.pad()) + 2 * L;
    }

    /** dst[img - n0][c][pad + y][pad + x] = x[img][c][y][x] for images [n0, n1); the border and slack are zero. */
    static void pad(float[] x, ConvShape s, int n0, int n1, float[] dst) {
        final int h = s.h(), w = s.w(), p = s.pad(), hp = h + 2 * p, wp = w + 2 * p, planes = (n1 - n0) * s.c();
        if (p == 0) {
            System.arraycopy(x, n0 * s.c() * h * w, dst, 0, planes * h * w);
            Arrays.fill(dst, planes * h * w, planes * h * w + 2 * L, 0f);
            return;
        }
        Arrays.fill(dst, 0, planes * hp * wp + 2 * L, 0f);
        for (int pl = 0; pl < planes; pl++) {
            int src = (n0 * s.c() + pl) * h * w, to = pl * hp * wp + p * wp + p;
            for (int y = 0; y < h; y++) System.arraycopy(x, src + y * w, dst, to + y * wp, w);
        }
    }

    /**
     * dst[to + y dstWidth + c] = src[from + y srcWidth + c + shift] for the rows y < rows and the columns c < dstWidth
     * whose source column c + shift lies in [0, srcWidth); the other columns keep what dst held (the callers' zeros).
     * A plane copied with a column shift, as the image-space gradients' copies are.
     */
    static void copyShiftedRows(float[] src, int from, int srcWidth, int rows, int shift, float[] dst, int to, int dstWidth) {
        final int c0 = Math.max(0, -shift), c1 = Math.min(dstWidth, srcWidth - shift);
        if (c1 <= c0) return; // the shift leaves the source entirely
        for (int y = 0; y < rows; y++) System.arraycopy(src, from + y * srcWidth + c0 + shift, dst, to + y * dstWidth + c0, c1 - c0);
    }

    /**
     * Whether images [n0, n1) of x can serve as their own bordered copy: no padding, and the vector of
     * slack past the last image that {@link #pack} may read (into columns it overwrites later) lies in x.
     */
    static boolean needsNoCopy(ConvShape s, int n1, int length) {
        return s.pad() == 0 && (long) n1 * s.c() * s.h() * s.w() + 2 * L <= length;
    }

    /** dx[img][c][y][x] += src[img - n0][c][pad + y][pad + x]: the interior of a bordered gradient. */
    static void unpadAdd(float[] src, ConvShape s, int n0, int n1, float[] dx) {
        final int h = s.h(), w = s.w(), p = s.pad(), hp = h + 2 * p, wp = w + 2 * p, planes = (n1 - n0) * s.c();
        for (int pl = 0; pl < planes; pl++) {
            int to = (n0 * s.c() + pl) * h * w, from = pl * hp * wp + p * wp + p;
            for (int y = 0; y < h; y++) {
                for (int i = 0, a = to + y * w, b = from + y * wp; i < w; i++) dx[a + i] += src[b + i];
            }
        }
    }

    /**
     * Offsets of every tap (c, ky, kx) relative to a patch's top-left corner in the bordered images: the
     * packing loops run over taps innermost with no divisions.
     */
    static int[] tapOffsets(ConvShape s) {
        final int k = s.k(), hp = s.h() + 2 * s.pad(), wp = s.w() + 2 * s.pad();
        int[] off = new int[s.taps()];
        for (int t = 0; t < off.length; t++) off[t] = ((t / (k * k)) * hp + (t % (k * k)) / k) * wp + t % k;
        return off;
    }

    /**
     * dst[t * rowStride + j - j0] = the tap t of column j, for the block's columns, read from the
     * bordered images {@code xp} from {@code origin} (image indices in {@code runs} relative to the image there).
     * Columns nb..ld and rows taps..rows are zero so the microkernels may read whole padded tiles.
     * Each row keeps L floats of slack past ld (rowStride >= ld + L): a run is copied in whole vectors,
     * which may write past its end into columns that a later run or the zero fill overwrites.
     *
     * @return the OR of the bit patterns of every value stored (those slack columns included): negative
     *     when some value has its sign bit set, so the block is not known to be >= +0.0 (see Microkernels.minTile)
     */
    static int pack(float[] xp, int origin, ConvShape s, int[] tapOffsets, ColumnRuns runs, int nb, float[] dst, int rows, int ld, int rowStride) {
        final int taps = s.taps(), stride = s.stride(), plane = (s.h() + 2 * s.pad()) * (s.w() + 2 * s.pad());
        final int wp = s.w() + 2 * s.pad(), imageSize = s.c() * plane;
        final FloatVector even = FloatVector.fromArray(S, EVEN_LANES, 0);
        final int[] gather = stride > 2 ? stridedLanes(stride) : null;
        IntVector bits = IntVector.zero(I);
        for (int r = 0; r < runs.count; r++) {
            final int run = runs.len[r], at = runs.at[r];
            final int base = origin + runs.img[r] * imageSize + runs.oy[r] * stride * wp + runs.ox[r] * stride;
            for (int i = 0; i < run; i += L) {
                if (stride == 1) {
                    for (int t = 0; t < taps; t++) {
                        final FloatVector v = FloatVector.fromArray(S, xp, base + tapOffsets[t] + i);
                        v.intoArray(dst, t * rowStride + at + i);
                        bits = bits.or(v.reinterpretAsInts());
                    }
                } else if (stride == 2) {
                    // Two contiguous loads and one two-table permute instead of a gather: a gather costs about a
                    // cycle per lane on AMD cores, which made stride-2 packing a third of the layer's time. The
                    // second load reaches one float past the gather's last, inside the bordered images' slack.
                    final int from = base + i * 2;
                    for (int t = 0; t < taps; t++) {
                        final int o = from + tapOffsets[t];
                        final FloatVector v = even.selectFrom(FloatVector.fromArray(S, xp, o), FloatVector.fromArray(S, xp, o + L));
                        v.intoArray(dst, t * rowStride + at + i);
                        bits = bits.or(v.reinterpretAsInts());
                    }
                } else {
                    final int from = base + i * stride;
                    for (int t = 0; t < taps; t++) {
                        final FloatVector v = FloatVector.fromArray(S, xp, from + tapOffsets[t], gather, 0);
                        v.intoArray(dst, t * rowStride + at + i);
                        bits = bits.or(v.reinterpretAsInts());
                    }
                }
            }
        }
        if (nb < ld) for (int t = 0; t < taps; t++) Arrays.fill(dst, t * rowStride + nb, t * rowStride + ld, 0f);
        if (rows > taps) Arrays.fill(dst, taps * rowStride, rows * rowStride, 0f);
        return bits.reduceLanes(VectorOperators.OR);
    }

    /** Lane i reads element stride i: the gather of a run of a stride beyond 2. */
    private static int[] stridedLanes(int stride) {
        final int[] lanes = new int[L];
        for (int i = 0; i < L; i++) lanes[i] = stride * i;
        return lanes;
    }

    /** Lane i takes element 2i of two concatenated vectors: a stride-2 run from two contiguous loads. */
    private static final float[] EVEN_LANES = new float[L];
    /** The lanes of a stride-2 gradient vector that receive a column's value (the even ones). */
    private static final boolean[] EVEN_MASK = new boolean[L];
    /**
     * ZIP_LOW[2j] = j and ZIP_HIGH[2j] = L/2 + j, the odd lanes an index past the first table (the zero vector):
     * the first and second halves of a vector of columns spread onto the even lanes of two vectors of pixels.
     */
    private static final float[] ZIP_LOW = new float[L], ZIP_HIGH = new float[L];

    static {
        for (int i = 0; i < L; i++) {
            EVEN_LANES[i] = 2 * i;
            EVEN_MASK[i] = i % 2 == 0;
            ZIP_LOW[i] = i % 2 == 0 ? i / 2 : L;
            ZIP_HIGH[i] = i % 2 == 0 ? L / 2 + i / 2 : L;
        }
    }

    /**
     * dxp[tap of column j] += src[t][j - j0] into bordered images from {@code origin} (col2im); the border
     * is dropped later. Writes only the runs' own elements (masked tails), so dxp may be the gradient itself.
     */
    static void scatterAdd(float[] src, int ld, ConvShape s, int[] tapOffsets, ColumnRuns runs, float[] dxp, int origin) {
        final int taps = s.taps(), stride = s.stride(), plane = (s.h() + 2 * s.pad()) * (s.w() + 2 * s.pad());
        final int wp = s.w() + 2 * s.pad(), imageSize = s.c() * plane;
        final VectorMask<Float> even = VectorMask.fromArray(S, EVEN_MASK, 0);
        final FloatVector zipLow = FloatVector.fromArray(S, ZIP_LOW, 0), zipHigh = FloatVector.fromArray(S, ZIP_HIGH, 0);
        final FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < runs.count; r++) {
            final int run = runs.len[r], at = runs.at[r];
            final int base = origin + runs.img[r] * imageSize + runs.oy[r] * stride * wp + runs.ox[r] * stride;
            for (int t = 0; t < taps; t++) {
                final int to = base + tapOffsets[t], from = t * ld + at;
                if (stride == 1) {
                    int i = 0;
                    for (; i + L <= run; i += L) {
                        FloatVector.fromArray(S, dxp, to + i).add(FloatVector.fromArray(S, src, from + i)).intoArray(dxp, to + i);
                    }
                    if (i < run) {
                        // A masked tail, not a narrower species: one species per element type keeps the Vector
                        // API's shared type profiles monomorphic, without which C2 may box the tiles' vectors.
                        final VectorMask<Float> tail = S.indexInRange(i, run);
                        FloatVector.fromArray(S, dxp, to + i, tail).add(FloatVector.fromArray(S, src, from + i, tail)).intoArray(dxp, to + i, tail);
                    }
                } else if (stride == 2) {
                    // L columns at a time, spread onto the even lanes of two vectors of pixels and added under an
                    // even-lane mask, so the odd pixels (other columns' taps) keep their bits. Whole vectors load
                    // and store unmasked; only the run's tail uses masked memory access (AVX2 has no cheap masked
                    // store), so nothing past its last pixel is written (dxp may be the gradient itself, whose
                    // next image another task owns).
                    final int end = 2 * run - 1; // pixels to + [0, end) hold the run's taps
                    int i = 0;
                    for (; i + L < run; i += L) {
                        final FloatVector cols = FloatVector.fromArray(S, src, from + i);
                        final int p = to + 2 * i;
                        FloatVector.fromArray(S, dxp, p).add(zipLow.selectFrom(cols, zero), even).intoArray(dxp, p);
                        FloatVector.fromArray(S, dxp, p + L).add(zipHigh.selectFrom(cols, zero), even).intoArray(dxp, p + L);
                    }
                    if (i < run) {
                        final FloatVector cols = FloatVector.fromArray(S, src, from + i, S.indexInRange(i, run));
                        final int p = to + 2 * i;
                        final VectorMask<Float> m0 = even.and(S.indexInRange(2 * i, end)), m1 = even.and(S.indexInRange(2 * i + L, end));
                        FloatVector.fromArray(S, dxp, p, m0).add(zipLow.selectFrom(cols, zero), m0).intoArray(dxp, p, m0);
                        if (m1.anyTrue()) {
                            FloatVector.fromArray(S, dxp, p + L, m1).add(zipHigh.selectFrom(cols, zero), m1).intoArray(dxp, p + L, m1);
                        }
                    }
                } else {
                    for (int i = 0; i < run; i++) dxp[to + i * stride] += src[from + i];
                }
            }
        }
    }
}
