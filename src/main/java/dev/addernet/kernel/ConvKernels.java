package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.MR;
import static dev.addernet.kernel.Microkernels.NR;
import static dev.addernet.tensor.Shapes.roundUp;

import java.util.LinkedHashMap;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The driver of the filter layers' kernels (convolution, adder, and linear layers as k = 1): forward and
 * backward computed block by block over output columns, each block of columns packed by im2col into a
 * cache-sized matrix (its width: {@link Blocking}), or read in place where the op's tiles can, and handed to the op's
 * {@link FilterKernel} ({@link Convolution}, {@link Adder}), which runs its register tiles on it. The
 * whole-layer im2col matrix, and the Cout x taps x positions broadcast of the naive adder, are never
 * materialised.
 *
 * <p>Work is split over contiguous ranges of images, so col2im of different tasks never touches the
 * same input pixel and each output is computed by one task in a fixed order: results depend only on
 * the thread count. Within a task, images are taken a group at a time (as many as a block of columns
 * holds): the group is copied with a zero border, packed block by block, and (backward) its gradient
 * is accumulated with the same border and copied back.
 *
 * <p>What each op computes, and its gradients, is stated once in {@link ReferenceConv} with the papers'
 * equation numbers; the tiles compute the same in float32. With {@link #useReference} every call runs on
 * that plain statement instead ({@code addernet --kernels reference}).
 */
public final class ConvKernels {
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** The system property that selects the kernels at start-up: {@code reference} or {@code fast} (the default). */
    public static final String PROPERTY = "addernet.kernels";

    private static volatile boolean reference = "reference".equals(System.getProperty(PROPERTY));

    private ConvKernels() {}

    /** Whether every call runs on {@link ReferenceConv} (double precision, tens of times slower) instead of the tiles. */
    public static void useReference(boolean on) {
        reference = on;
    }

    public static boolean usingReference() {
        return reference;
    }

    /** y[n][m][oy][ox] = sum over the patch of w*x (CONV) or -|x - w| (ADDER). y is overwritten. */
    public static void forward(Op kind, ConvShape s, float[] x, float[] w, float[] y) {
        forward(kind, AdderOptions.DEFAULT, s, x, w, y);
    }

    /**
     * As {@link #forward(Op, ConvShape, float[], float[], float[])}, with the Lp-AdderNet's distance for
     * ADDER ({@link AdderOptions#p()}; see {@link ReferenceConv#forward}): p = 1 and p = 2 are exact fast
     * paths, fractional p uses {@link LpMicrokernels}.
     */
    public static void forward(Op kind, AdderOptions options, ConvShape s, float[] x, float[] w, float[] y) {
        if (reference) {
            ReferenceConv.forward(kind, options, s, x, w, y);
            return;
        }
        final FilterKernel.ForwardPass pass = FilterKernel.of(kind).forward(s, options, w);
        final int taps = s.taps(), mPad = roundUp(s.m(), MR);
        final int nbMax = Blocking.columns(kind, s, Blocking.Phase.FORWARD);
        final int[] offsets = Im2col.tapOffsets(s);
        final boolean inPlace = readsInPlace(pass, s), direct = writesDirect(pass, s);
        forEachImageRange(s, (n0, n1) -> {
            Workspace ws = WORKSPACE.get();
            final int group = imagesPerGroup(s, nbMax), positions = s.positions();
            final ForwardBlock b = new ForwardBlock(s, y, ws.cols(taps * (nbMax + Microkernels.L)), ws.out(mPad * nbMax),
                    ws.bases(nbMax / Microkernels.L + 2), ws.outBases(nbMax / Microkernels.L + 2), direct, ws);
            float[] padded = ws.padded(Im2col.paddedSize(s, group));
            for (int g0 = n0; g0 < n1; g0 += group) {
                final int g1 = Math.min(n1, g0 + group);
                // Whether the block's inputs have no negative value (after a ReLU), which some tiles exploit: for
                // images read in place from a scan of the group, for packed blocks from packing's OR of the bits.
                final boolean groupNonNegative = inPlace && signBits(x, g0 * s.imageSize(), g1 * s.imageSize()) >= 0;
                // The group's bordered images: x itself without padding, else a copy (origin: its first image).
                final boolean noCopy = Im2col.needsNoCopy(s, g1, x.length);
                final float[] xp = noCopy ? x : padded;
                final int origin = noCopy ? g0 * s.imageSize() : 0;
                if (!noCopy) Im2col.pad(x, s, g0, g1, xp);
                for (int j0 = g0 * positions; j0 < g1 * positions; j0 += nbMax) {
                    final int nb = Math.min(nbMax, g1 * positions - j0), ld = roundUp(nb, NR);
                    final int ldx = ld + Microkernels.L; // packed rows keep a vector of slack (see Im2col.pack)
                    // In place and direct, nothing reads the column runs (packing and scattering use them).
                    ColumnRuns runs = inPlace && direct ? null : ws.runs.of(s, j0, nb, g0);
                    for (int v = 0; v < ld / Microkernels.L; v++) {
                        final int j = j0 + v * Microkernels.L;
                        b.outBases[v] = direct ? outputOffset(s, j) : v * Microkernels.L;
                    }
                    if (inPlace) {
                        b.src = xp;
                        b.rowOff = offsets;
                        vectorBases(s, j0, nb, ld, g0, origin, b.bases);
                        b.nonNegative = groupNonNegative;
                    } else {
                        final int signs = Im2col.pack(xp, origin, s, offsets, runs, nb, b.cols, taps, ld, ldx);
                        b.nonNegative = signs >= 0;
                        b.src = b.cols;
                        b.rowOff = ws.packedRows(taps, ldx);
                        for (int v = 0; v < ld / Microkernels.L; v++) b.bases[v] = v * Microkernels.L;
                    }
                    b.j0 = j0;
                    b.nb = nb;
                    b.ld = ld;
                    b.ldx = ldx;
                    if (!pass.block(b)) scatterRows(b.out, ld, s, runs, g0, y);
                }
            }
        });
    }

    /**
     * Stride 1 with output rows of whole vectors: a tap's values for L consecutive output columns are L
     * consecutive floats of the bordered image, so the tiles can read them in place and the block needs
     * no im2col (after the tiles, packing is the largest cost of the adder forward).
     */
    private static boolean readsInPlace(FilterKernel.ForwardPass pass, ConvShape s) {
        return pass.readsInPlace() && s.stride() == 1 && s.ow() % Microkernels.L == 0;
    }

    /**
     * When every tile's 32 columns lie in one image and its rows are real filters (positions a multiple of
     * NR, m of MR; every ResNet adder layer on CIFAR), the tiles can write straight into y with row stride
     * positions: no block buffer, no copy into y (the copy was a tenth of a ResNet-20 inference pass).
     */
    private static boolean writesDirect(FilterKernel.ForwardPass pass, ConvShape s) {
        return pass.writesDirect() && s.m() % MR == 0 && s.positions() % NR == 0;
    }

    /**
     * How a call of {@code kind} on shape {@code s} runs, for {@code bench}: per phase the block width and where
     * it comes from ({@link Blocking}), how the block's inputs reach the tiles, and which tiles run.
     */
    public static Map<String, Object> describe(Op kind, AdderOptions options, ConvShape s) {
        final float[] w = new float[s.weightSize()];
        final FilterKernel.ForwardPass fwd = FilterKernel.of(kind).forward(s, options, w);
        final FilterKernel.BackwardPass bwd = FilterKernel.of(kind).backward(s, options, w, true, true);
        Map<String, Object> forward = new LinkedHashMap<>(Blocking.describe(kind, s, Blocking.Phase.FORWARD));
        forward.put("inputs", readsInPlace(fwd, s) ? "read in place" : "im2col");
        forward.put("output", writesDirect(fwd, s) ? "written into y" : "block buffer, scattered");
        forward.put("tiles", fwd.tiles());
        Map<String, Object> backward = new LinkedHashMap<>(Blocking.describe(kind, s, Blocking.Phase.BACKWARD));
        backward.put("input_gradient", bwd.inputInImageSpace() ? "image space after a ReLU, else im2col and col2im" : "im2col and col2im");
        backward.put("tiles", bwd.tiles());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("forward", forward);
        out.put("backward", backward);
        return out;
    }

    /**
     * One block of a forward call, as the driver hands it to a {@link FilterKernel.ForwardPass}: output
     * columns [j0, j0 + nb) (ld = nb rounded up to the tile width), their inputs either packed in
     * {@code cols} (row t at t * ldx) or read in place from {@code src} (tap t of vector v at
     * src[bases[v] + rowOff[t]]), and where the output goes: y itself when {@code direct} (vector v of
     * filter r at y[outBases[v] + r * rowStride]), else the block buffer {@code out} (row stride ld).
     */
    static final class ForwardBlock {
        final ConvShape s;
        final float[] y, cols, out;
        final int[] bases, outBases;
        final boolean direct;
        final int rowStride;
        private final Workspace ws;
        float[] src;
        int[] rowOff;
        int j0, nb, ld, ldx;
        boolean nonNegative;

        ForwardBlock(ConvShape s, float[] y, float[] cols, float[] out, int[] bases, int[] outBases, boolean direct, Workspace ws) {
            this.s = s;
            this.y = y;
            this.cols = cols;
            this.out = out;
            this.bases = bases;
            this.outBases = outBases;
            this.direct = direct;
            this.rowStride = direct ? s.positions() : -1;
            this.ws = ws;
        }

        /** Where the tiles write: y when direct, else the block buffer. */
        float[] dst() {
            return direct ? y : out;
        }

        int rowStride() {
            return direct ? rowStride : ld;
        }

        /** Scratch for one float per column of the block. */
        float[] columnScratch() {
            return ws.colSums(ld);
        }
    }

    /**
     * bases[v] = where, in the bordered images of the group from g0 (image g0 at origin), the patch of the output column
     * j0 + v L starts, for the block's vectors of L columns (each within one output row, since L divides
     * the output width): a tap t of the vector's columns is then bordered[bases[v] + tapOffsets[t] + lane].
     * Vectors past nb repeat a valid base: their columns are computed but never scattered.
     */
    private static void vectorBases(ConvShape s, int j0, int nb, int ld, int g0, int origin, int[] bases) {
        final int L = Microkernels.L, positions = s.positions(), ow = s.ow();
        final int wp = s.w() + 2 * s.pad(), imageSize = s.c() * (s.h() + 2 * s.pad()) * wp;
        for (int v = 0; v < ld / L; v++) {
            final int j = j0 + Math.min(v * L, nb - L), pos = j % positions;
            bases[v] = origin + (j / positions - g0) * imageSize + (pos / ow) * wp + pos % ow;
        }
    }

    /** The OR of the bit patterns of x[lo, hi): negative when a sign bit is set. */
    private static int signBits(float[] x, int lo, int hi) {
        final var S = Microkernels.S;
        IntVector bits = IntVector.zero(Microkernels.I);
        int i = lo;
        for (; i <= hi - S.length(); i += S.length()) bits = bits.or(FloatVector.fromArray(S, x, i).reinterpretAsInts());
        int rest = bits.reduceLanes(VectorOperators.OR);
        for (; i < hi; i++) rest |= Float.floatToRawIntBits(x[i]);
        return rest;
    }

    /**
     * Accumulates the input gradient into {@code gx} (skipped when null) and the weight gradient into
     * {@code gw} (skipped when null) from the output gradient {@code gy}: the gradients
     * {@link ReferenceConv#backward} states. The adder weight gradient is computed as G X^T - w * rowsum(G);
     * the adaptive learning-rate scaling is not applied here but by the optimiser, on the step's total.
     */
    public static void backward(Op kind, ConvShape s, float[] x, float[] w, float[] gy, float[] gx, float[] gw) {
        backward(kind, AdderOptions.DEFAULT, s, x, w, gy, gx, gw);
    }

    /** As {@link #backward(Op, ConvShape, float[], float[], float[], float[], float[])} with the adder layer's options. */
    public static void backward(Op kind, AdderOptions options, ConvShape s, float[] x, float[] w, float[] gy,
                                float[] gx, float[] gw) {
        if (gx == null && gw == null) return;
        if (reference) {
            ReferenceConv.backward(kind, options, s, x, w, gy, gx, gw);
            return;
        }
        final int m = s.m(), taps = s.taps(), mPad = roundUp(m, MR), tapsPad = roundUp(taps, MR);
        final FilterKernel.BackwardPass pass = FilterKernel.of(kind).backward(s, options, w, gx != null, gw != null);
        final int nbMax = Blocking.columns(kind, s, Blocking.Phase.BACKWARD);
        final int tasks = taskCount(s);
        final int[] offsets = Im2col.tapOffsets(s);
        final WeightPartial[] partials = new WeightPartial[tasks];
        final PaddedGradient layout = gx != null && pass.inputInImageSpace() ? PaddedGradient.of(s) : null;
        final ImageWeightGradient imageWeight = gw != null && pass.weightInImageSpace() ? new ImageWeightGradient(s) : null;
        forEachImageRange(s, tasks, (task, n0, n1) -> {
            Workspace ws = WORKSPACE.get();
            final int group = imagesPerGroup(s, nbMax), positions = s.positions(), psize = Im2col.paddedSize(s, group);
            final BackwardBlock b = new BackwardBlock(s, ws.cols(tapsPad * (nbMax + Microkernels.L)), ws.out(mPad * nbMax),
                    ws.dcols(tapsPad * nbMax));
            final float[] padded = ws.padded(psize);
            final WeightPartial acc = gw == null ? null : imageWeight != null ? WeightPartial.product(s, false, true) : pass.newPartial();
            if (imageWeight != null) {
                imageWeight.accumulate(x, gy, n0, n1, ws.imageCopies(imageWeight.chunkFloats()), ws.lanes(mPad * tapsPad * Microkernels.L), acc);
            }
            for (int g0 = n0; g0 < n1; g0 += group) {
                final int g1 = Math.min(n1, g0 + group);
                // The input gradient in image space when the op can and the group's inputs are all >= +0.0 (after a
                // ReLU); else block by block, packed, and scattered back (col2im).
                final boolean imageSpace = layout != null && signBits(x, g0 * s.imageSize(), g1 * s.imageSize()) >= 0;
                if (imageSpace) {
                    final float[] gp = ws.paddedGrad((g1 - g0) * s.m() * layout.filterSize());
                    layout.fill(gy, g0, g1, gp);
                    pass.inputGroup(x, layout, gp, gx, g0, g1);
                }
                final boolean blockInput = gx != null && !imageSpace, blockWeight = gw != null && imageWeight == null;
                if (!blockWeight && !blockInput) continue;
                // As in forward: without padding, read x and accumulate into gx in place.
                final boolean noCopy = Im2col.needsNoCopy(s, g1, x.length);
                final float[] xp = noCopy ? x : padded, dxp = !blockInput ? null : noCopy ? gx : ws.paddedGrad(psize);
                final int origin = noCopy ? g0 * s.imageSize() : 0;
                if (!noCopy) Im2col.pad(x, s, g0, g1, xp);
                if (dxp != null && !noCopy) java.util.Arrays.fill(dxp, 0, psize, 0f);
                for (int j0 = g0 * positions; j0 < g1 * positions; j0 += nbMax) {
                    final int nb = Math.min(nbMax, g1 * positions - j0), ld = roundUp(nb, NR), ldx = ld + Microkernels.L;
                    ColumnRuns runs = ws.runs.of(s, j0, nb, g0);
                    gatherRows(gy, s, runs, g0, nb, b.g, mPad, ld);
                    // The packed columns' sign bits (negative: some x < 0, or nothing packed).
                    final int signs = blockWeight || (blockInput && pass.inputGradientReadsInputs())
                            ? Im2col.pack(xp, origin, s, offsets, runs, nb, b.cols, tapsPad, ld, ldx) : -1;
                    b.nb = nb;
                    b.ld = ld;
                    b.ldx = ldx;
                    b.nonNegative = signs >= 0;
                    if (blockWeight) pass.weightBlock(b, acc);
                    if (blockInput) {
                        pass.inputBlock(b);
                        Im2col.scatterAdd(b.d, ld, s, offsets, runs, dxp, origin);
                    }
                }
                if (dxp != null && !noCopy) Im2col.unpadAdd(dxp, s, g0, g1, gx);
            }
            partials[task] = acc;
        });
        if (gw != null) {
            // Sum the tasks' partials in task order (deterministic), then untile into gw.
            double[] total = new double[m * taps], rows = partials[0].rowSum;
            for (int t = 0; t < tasks; t++) {
                for (int mm = 0; mm < m; mm++) {
                    for (int tap = 0; tap < taps; tap++) total[mm * taps + tap] += partials[t].at(mm, tap, taps, tapsPad);
                }
                if (t > 0 && rows != null) for (int i = 0; i < rows.length; i++) rows[i] += partials[t].rowSum[i];
            }
            for (int mm = 0; mm < m; mm++) {
                for (int t = 0; t < taps; t++) gw[mm * taps + t] += (float) pass.weightGradient(total[mm * taps + t], rows, w, mm, taps, t);
            }
        }
    }

    /**
     * One block of a backward call, as the driver hands it to a {@link FilterKernel.BackwardPass}: the output
     * gradient of columns [j0, j0 + nb) gathered in {@code g} (filter r at r * ld, zero past nb and m), their
     * inputs packed in {@code cols} (tap t at t * ldx; when the weight gradient or the pass reads them), and
     * {@code d} for the input gradient per tap (tap t at t * ld), which the driver scatters.
     */
    static final class BackwardBlock {
        final ConvShape s;
        final float[] cols, g, d;
        int nb, ld, ldx;
        boolean nonNegative;

        BackwardBlock(ConvShape s, float[] cols, float[] g, float[] d) {
            this.s = s;
            this.cols = cols;
            this.g = g;
            this.d = d;
        }
    }

    /**
     * A task's share of the weight gradient: sgemm's [m][taps] floats, or the dot tiles' doubles laid out in
     * 4 x 4 tiles of [mPad][tapsPad]; and, for ops that need them, the sums of g over each filter's columns.
     */
    static final class WeightPartial {
        final float[] blas;
        final double[] tiled, rowSum;

        WeightPartial(float[] blas, double[] tiled, double[] rowSum) {
            this.blas = blas;
            this.tiled = tiled;
            this.rowSum = rowSum;
        }

        /** The partial of filter mm, tap t. */
        double at(int mm, int t, int taps, int tapsPad) {
            return blas != null ? blas[mm * taps + t] : tiled[(mm / 4 * (tapsPad / 4) + t / 4) * 16 + (mm % 4) * 4 + t % 4];
        }

        /** G X^T by sgemm when OpenBLAS is there, else the 4 x 4 dot tiles; with {@code rowSums}, also sum_j g[r][j]. */
        static WeightPartial product(ConvShape s, boolean blas, boolean rowSums) {
            final int mPad = roundUp(s.m(), MR), tapsPad = roundUp(s.taps(), MR);
            return new WeightPartial(blas ? new float[s.m() * s.taps()] : null, blas ? null : new double[mPad * tapsPad],
                    rowSums ? new double[mPad] : null);
        }

        /** to[at + i] += the sum in lane order of lanes[i L, (i + 1) L), for i < count. */
        static void addLaneSums(float[] lanes, int count, double[] to, int at) {
            for (int i = 0; i < count; i++) {
                double sum = 0;
                for (int j = i * Microkernels.L, e = j + Microkernels.L; j < e; j++) sum += lanes[j];
                to[at + i] += sum;
            }
        }

        /** Adds the block's G X^T (and its filters' sums of g, when kept) to this partial. */
        void addProduct(BackwardBlock b) {
            final ConvShape s = b.s;
            final int m = s.m(), taps = s.taps(), mPad = roundUp(m, MR), tapsPad = roundUp(taps, MR), ld = b.ld;
            if (blas != null) {
                Blas.sgemm(false, true, m, taps, ld, 1f, b.g, 0, ld, b.cols, 0, b.ldx, 1f, blas, 0, taps);
            } else {
                final int ldx = b.ldx;
                for (int mi = 0; mi < mPad; mi += 4) {
                    for (int ti = 0; ti < tapsPad; ti += 4) {
                        Microkernels.dot4x4(b.g, mi * ld, ld, ld, 0, b.cols, ti * ldx, (ti + 1) * ldx, (ti + 2) * ldx, (ti + 3) * ldx, 0, 1,
                                null, tiled, (mi / 4 * (tapsPad / 4) + ti / 4) * 16);
                    }
                }
            }
            if (rowSum != null) {
                // The rows are zero past nb, up to ld.
                for (int mm = 0; mm < m; mm++) rowSum[mm] += Microkernels.sum(b.g, mm * ld, ld);
            }
        }
    }

    /**
     * Packs a matrix given by strides into panels of {@code width} rows laid out [panel][inner][width],
     * zero-filling rows past {@code rows} up to a multiple of {@code MR}: element (r, i) is
     * src[r * rowStride + i * innerStride].
     */
    static float[] packPanels(float[] src, int rows, int inner, int rowStride, int innerStride, int width) {
        int rowsPad = roundUp(rows, MR);
        float[] dst = new float[rowsPad * inner];
        for (int r = 0; r < rows; r++) {
            int panelBase = (r / width) * inner * width + r % width;
            for (int i = 0; i < inner; i++) dst[panelBase + i * width] = src[r * rowStride + i * innerStride];
        }
        return dst;
    }

    /**
     * Images handled together: as many as one column block holds (at least one), so the bordered copy of
     * the images being packed stays small enough for the core's cache.
     */
    private static int imagesPerGroup(ConvShape s, int nbMax) {
        return Math.max(1, nbMax / s.positions());
    }

    /** Where output column j (image j / positions, position j % positions) of filter 0 is in y. */
    static int outputOffset(ConvShape s, int j) {
        return (j / s.positions()) * s.m() * s.positions() + j % s.positions();
    }

    /** y[img][r][pos] = out[r][j - j0] for the block's columns and the real rows r < m. */
    private static void scatterRows(float[] out, int ld, ConvShape s, ColumnRuns runs, int n0, float[] y) {
        final int m = s.m(), p = s.positions();
        for (int i = 0; i < runs.spans; i++) {
            final int base = (n0 + runs.spanImg[i]) * m * p + runs.spanPos[i], at = runs.spanAt[i], len = runs.spanLen[i];
            for (int r = 0; r < m; r++) System.arraycopy(out, r * ld + at, y, base + r * p, len);
        }
    }

    /** The transpose of {@link #scatterRows}: g[r][j - j0] = gy[img][r][pos]; padding rows and columns zero. */
    private static void gatherRows(float[] gy, ConvShape s, ColumnRuns runs, int n0, int nb, float[] g, int rows, int ld) {
        final int m = s.m(), p = s.positions();
        for (int i = 0; i < runs.spans; i++) {
            final int base = (n0 + runs.spanImg[i]) * m * p + runs.spanPos[i], at = runs.spanAt[i], len = runs.spanLen[i];
            for (int r = 0; r < m; r++) System.arraycopy(gy, base + r * p, g, r * ld + at, len);
        }
        if (nb < ld) for (int r = 0; r < m; r++) java.util.Arrays.fill(g, r * ld + nb, r * ld + ld, 0f);
        java.util.Arrays.fill(g, m * ld, rows * ld, 0f);
    }

    private interface RangeBody { void run(int task, int firstImage, int endImage); }
    private interface SimpleRangeBody { void run(int firstImage, int endImage); }

    /** Work (filter x tap x position products) that makes a task long enough to split a call further. */
    private static final long WORK_PER_TASK = 1L << 24;
    private static final int MAX_TASKS_PER_THREAD = 4;

    /**
     * Tasks (contiguous image ranges) for a call: one per thread, and up to 4 per thread for large calls,
     * so that a core slowed by its neighbours does not hold the join back; whichever thread is free takes the
     * next range. Small calls keep one task per thread, where splitting costs more than a straggler. Depends
     * only on the shape and the thread count, so results stay deterministic for a thread count.
     */
    static int taskCount(ConvShape s) {
        final int threads = Parallel.threads();
        if (threads == 1) return 1;
        final int perThread = (int) Math.max(1, Math.min(MAX_TASKS_PER_THREAD, s.elements() / WORK_PER_TASK / threads));
        return Math.max(1, Math.min(perThread * threads, s.n()));
    }

    private static void forEachImageRange(ConvShape s, SimpleRangeBody body) {
        forEachImageRange(s, taskCount(s), (t, c0, c1) -> body.run(c0, c1));
    }

    /** Splits the images into {@code tasks} contiguous ranges and runs body on each. */
    private static void forEachImageRange(ConvShape s, int tasks, RangeBody body) {
        final int n = s.n();
        Parallel.run(tasks, t -> {
            int n0 = (int) ((long) n * t / tasks), n1 = (int) ((long) n * (t + 1) / tasks);
            if (n1 > n0) body.run(t, n0, n1);
        });
    }

    /** Per-thread scratch buffers, grown on demand and reused across calls (no per-step garbage). */
    private static final class Workspace {
        private float[] cols = new float[0], out = new float[0], dcols = new float[0], padded = new float[0], paddedGrad = new float[0], imageCopies = new float[0], lanes = new float[0];
        final ColumnRuns runs = new ColumnRuns();

        private float[] colSums = new float[0];
        private int[] bases = new int[0], packedRows = new int[0];
        private int packedStride = -1;

        private int[] outBases = new int[0];

        int[] bases(int size) { return bases.length >= size ? bases : (bases = new int[size]); }
        int[] outBases(int size) { return outBases.length >= size ? outBases : (outBases = new int[size]); }

        /** t * ldx for every row t of a packed block: the row offsets of {@link Im2col#pack}'s layout. */
        int[] packedRows(int taps, int ldx) {
            if (packedRows.length < taps || packedStride != ldx) {
                if (packedRows.length < taps) packedRows = new int[taps];
                for (int t = 0; t < packedRows.length; t++) packedRows[t] = t * ldx;
                packedStride = ldx;
            }
            return packedRows;
        }

        float[] colSums(int size) { return colSums.length >= size ? colSums : (colSums = new float[size]); }
        float[] padded(int size) { return padded.length >= size ? padded : (padded = new float[size]); }
        float[] paddedGrad(int size) { return paddedGrad.length >= size ? paddedGrad : (paddedGrad = new float[size]); }
        float[] imageCopies(int size) { return imageCopies.length >= size ? imageCopies : (imageCopies = new float[size]); }
        float[] lanes(int size) { return lanes.length >= size ? lanes : (lanes = new float[size]); }

        float[] cols(int size) { return cols.length >= size ? cols : (cols = new float[size]); }
        float[] out(int size) { return out.length >= size ? out : (out = new float[size]); }
        float[] dcols(int size) { return dcols.length >= size ? dcols : (dcols = new float[size]); }
    }
}
