package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.MR;
import static dev.addernet.kernel.Microkernels.NR;
import static dev.addernet.tensor.Shapes.roundUp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Forward and backward of convolution-like layers (convolution, adder, and linear layers as k = 1),
 * computed block by block over output columns: each block of columns is packed by im2col into a
 * cache-sized matrix and fed to the register tiles of {@link Microkernels} (the L1 adder forward at
 * stride 1 skips the packing when it can read the bordered image in place). The whole-layer im2col
 * matrix, and the Cout x taps x positions broadcast of the naive adder, are never materialised.
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
    /** Floats in one packed column block (taps x block width): sized to stay in the L2 cache. */
    private static final int BLOCK_FLOATS = 64 * 1024;
    private static final int MAX_BLOCK = 512;

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
        final float p = options.p();
        final boolean lp = kind == Op.ADDER && p != 1f, l2 = p == 2f;
        // After a ReLU the L1 forward can use min(x, w) (see Microkernels.minTile): 2 operations instead of 3.
        // Decided per block from the sign bits of what it reads: of the packed values (packing ORs them as it
        // stores them), or of the group's images when the tiles read those in place.
        final boolean l1 = kind == Op.ADDER && !lp;
        final float[] weightSums = l1 ? rowSums(w, s.m(), s.taps()) : null;
        final int taps = s.taps(), mPad = roundUp(s.m(), MR), mr = lp ? 4 : MR;
        final float[] panels = packPanels(w, s.m(), taps, taps, 1, mr);
        final LpPower power = lp && !l2 ? LpPower.magnitude(p) : null;
        final int nbMax = blockWidth(taps);
        final int[] offsets = Im2col.tapOffsets(s);
        // Stride 1 with output rows of whole vectors: a tap's values for L consecutive output columns are L
        // consecutive floats of the bordered image, so the L1 tiles read them in place and the block needs
        // no im2col (after the tiles, packing is the largest cost of the adder forward).
        final boolean inPlace = kind == Op.ADDER && !lp && s.stride() == 1 && s.ow() % Microkernels.L == 0;
        // When every tile's 32 columns lie in one image and its rows are real filters (positions a multiple of
        // NR, m of MR; every ResNet adder layer on CIFAR), the L1 tiles write straight into y with row stride
        // positions: no block buffer, no copy into y (the copy was a tenth of a ResNet-20 inference pass).
        final boolean direct = kind == Op.ADDER && !lp && s.m() % MR == 0 && s.positions() % NR == 0;
        forEachImageRange(s, (n0, n1) -> {
            Workspace ws = WORKSPACE.get();
            final int group = imagesPerGroup(s, nbMax), positions = s.positions();
            float[] cols = ws.cols(taps * (nbMax + Microkernels.L)), out = ws.out(mPad * nbMax);
            int[] bases = ws.bases(nbMax / Microkernels.L + 2), outBases = ws.outBases(nbMax / Microkernels.L + 2);
            float[] padded = ws.padded(Im2col.paddedSize(s, group));
            for (int g0 = n0; g0 < n1; g0 += group) {
                final int g1 = Math.min(n1, g0 + group);
                final boolean groupNonNegative = l1 && inPlace && signBits(x, g0 * s.imageSize(), g1 * s.imageSize()) >= 0;
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
                    final float[] src, dst = direct ? y : out;
                    final int[] rowOff;
                    final boolean viaMin;
                    final int rowStride = direct ? positions : ld;
                    for (int v = 0; v < ld / Microkernels.L; v++) {
                        final int j = j0 + v * Microkernels.L;
                        outBases[v] = direct ? outputOffset(s, j) : v * Microkernels.L;
                    }
                    if (inPlace) {
                        src = xp;
                        rowOff = offsets;
                        vectorBases(s, j0, nb, ld, g0, origin, bases);
                        viaMin = groupNonNegative;
                    } else {
                        final int signs = Im2col.pack(xp, origin, s, offsets, runs, nb, cols, taps, ld, ldx);
                        viaMin = l1 && signs >= 0;
                        src = cols;
                        rowOff = ws.packedRows(taps, ldx);
                        for (int v = 0; v < ld / Microkernels.L; v++) bases[v] = v * Microkernels.L;
                    }
                    if (kind == Op.CONV && Blas.enabled()) {
                        if (j0 % positions + nb <= positions) { // the block lies in one image: sgemm writes its rows of y
                            Blas.sgemm(false, false, s.m(), nb, taps, 1f, w, 0, taps, cols, 0, ldx, 0f, y, outputOffset(s, j0), positions);
                        } else {
                            Blas.sgemm(false, false, s.m(), ld, taps, 1f, w, 0, taps, cols, 0, ldx, 0f, out, 0, ld);
                            scatterRows(out, ld, s, runs, g0, y);
                        }
                        continue;
                    }
                    for (int mt = 0; mt < mPad; mt += mr) {
                        for (int jt = 0; jt < ld; jt += NR) {
                            final int va = bases[jt / Microkernels.L], vb = bases[jt / Microkernels.L + 1];
                            final int at = outBases[jt / Microkernels.L] + mt * rowStride;
                            if (lp && l2) {
                                LpMicrokernels.l2Tile(panels, mt * taps, cols, jt, ldx, taps, p, out, mt * ld + jt, ld);
                            } else if (lp && LpPower.VECTOR_TILES) {
                                LpMicrokernels.lpTile(panels, mt * taps, cols, jt, ldx, taps, power, out, mt * ld + jt, ld);
                            } else if (lp) {
                                LpMicrokernels.lpTileScalar(panels, mt * taps, cols, jt, ldx, taps, p, out, mt * ld + jt, ld);
                            } else if (viaMin) {
                                Microkernels.minTile(panels, mt * taps, src, rowOff, va, vb, taps, dst, at, rowStride);
                            } else if (kind == Op.ADDER) {
                                Microkernels.l1Tile(panels, mt * taps, src, rowOff, va, vb, taps, dst, at, rowStride);
                            } else {
                                Microkernels.fmaTile(panels, mt * taps, cols, jt, ldx, taps, out, mt * ld + jt, ld);
                            }
                        }
                    }
                    if (viaMin) minToDistance(dst, outBases, rowStride, ld, src, rowOff, bases, taps, weightSums, ws.colSums(ld));
                    if (!direct) scatterRows(out, ld, s, runs, g0, y);
                }
            }
        });
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

    private static float[] rowSums(float[] w, int m, int taps) {
        float[] sums = new float[m];
        for (int r = 0; r < m; r++) {
            double sum = 0;
            for (int t = 0; t < taps; t++) sum += w[r * taps + t];
            sums[r] = (float) sum;
        }
        return sums;
    }

    /**
     * out[r][j] = -(sum_k x + sum_k w - 2 sum_k min(x, w)) = -sum_k |x - w|: the block's adder output,
     * with the column sums read as the tiles read them (tap t of vector v at src[bases[v] + rowOff[t]]).
     * Vectorised over whole rows of ld = roundUp(nb, NR) columns (lanes past nb are never scattered); the
     * output's vector v of row r is at out[outBases[v] + r * rowStride] (the block buffer, or y itself).
     */
    private static void minToDistance(float[] out, int[] outBases, int rowStride, int ld, float[] src, int[] rowOff,
                                      int[] bases, int taps, float[] weightSums, float[] colSums) {
        final var S = Microkernels.S;
        final int L = Microkernels.L;
        for (int j = 0; j < ld; j += L) {
            final int base = bases[j / L];
            FloatVector sum = FloatVector.fromArray(S, src, base + rowOff[0]);
            for (int t = 1; t < taps; t++) sum = sum.add(FloatVector.fromArray(S, src, base + rowOff[t]));
            sum.intoArray(colSums, j);
        }
        for (int r = 0; r < weightSums.length; r++) {
            final FloatVector wsum = FloatVector.broadcast(S, weightSums[r]);
            for (int j = 0; j < ld; j += L) {
                final int o = outBases[j / L] + r * rowStride;
                FloatVector.fromArray(S, out, o).mul(2f).sub(FloatVector.fromArray(S, colSums, j)).sub(wsum).intoArray(out, o);
            }
        }
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
        final float p = options.p();
        final boolean clip = options.clipInputGradient(), sign = options.signWeightGradient() && kind == Op.ADDER;
        final int m = s.m(), taps = s.taps(), mPad = roundUp(m, MR), tapsPad = roundUp(taps, MR);
        final int nbMax = blockWidth(tapsPad);
        // Which input-gradient tile: HardTanh(w - x) at p = 1, and at p = 2 when clipped; else sgn(u)|u|^(p-1).
        final boolean hardTanh = kind == Op.ADDER && (p == 1f || (p == 2f && clip));
        final boolean linear = kind == Op.ADDER && p == 2f && !clip, lpGrad = kind == Op.ADDER && !hardTanh && !linear;
        final LpPower power = lpGrad && gx != null ? LpPower.signedMagnitude(p - 1f) : null;
        // W^T packed in panels of taps: for the HardTanh tiles w + 1, w - 1 and w of 4 taps; for the Lp tiles
        // w of 4 taps; for the GEMM tile, MR taps.
        final float[] wt = gx == null ? null
                : hardTanh ? packHardTanhPanels(w, m, taps)
                : kind == Op.ADDER ? packPanels(w, taps, m, 1, taps, 4) : packPanels(w, taps, m, 1, taps, MR);
        final int tasks = taskCount(s);
        final int[] offsets = Im2col.tapOffsets(s);
        final boolean blas = Blas.enabled();
        final float[] wSign = sign ? paddedRows(w, m, taps, mPad, tapsPad) : null;
        final double[][] partialGw = new double[tasks][];
        final float[][] partialGwBlas = new float[tasks][];
        final double[][] partialRowSum = new double[tasks][];
        forEachImageRange(s, tasks, (task, n0, n1) -> {
            Workspace ws = WORKSPACE.get();
            final int group = imagesPerGroup(s, nbMax), positions = s.positions(), psize = Im2col.paddedSize(s, group);
            float[] cols = ws.cols(tapsPad * (nbMax + Microkernels.L)), g = ws.out(mPad * nbMax), d = ws.dcols(tapsPad * nbMax);
            final float[] padded = ws.padded(psize), paddedGrad = gx == null ? null : ws.paddedGrad(psize);
            double[] gwAcc = gw == null || (blas && !sign) ? null : new double[mPad * tapsPad];
            float[] gwBlas = gw == null || !blas || sign ? null : new float[m * taps];
            double[] rowSum = gw == null ? null : new double[mPad];
            for (int g0 = n0; g0 < n1; g0 += group) {
                final int g1 = Math.min(n1, g0 + group);
                // As in forward: without padding, read x and accumulate into gx in place.
                final boolean noCopy = Im2col.needsNoCopy(s, g1, x.length);
                final float[] xp = noCopy ? x : padded, dxp = gx == null ? null : noCopy ? gx : paddedGrad;
                final int origin = noCopy ? g0 * s.imageSize() : 0;
                if (!noCopy) Im2col.pad(x, s, g0, g1, xp);
                if (dxp != null && !noCopy) java.util.Arrays.fill(dxp, 0, psize, 0f);
                for (int j0 = g0 * positions; j0 < g1 * positions; j0 += nbMax) {
                    final int nb = Math.min(nbMax, g1 * positions - j0), ld = roundUp(nb, NR), ldx = ld + Microkernels.L;
                    ColumnRuns runs = ws.runs.of(s, j0, nb, g0);
                    gatherRows(gy, s, runs, g0, nb, g, mPad, ld);
                    // The packed columns' sign bits (negative: some x < 0, or nothing packed).
                    final int signs = gw != null || kind == Op.ADDER ? Im2col.pack(xp, origin, s, offsets, runs, nb, cols, tapsPad, ld, ldx) : -1;
                    // After a ReLU the HardTanh input gradient clamps with integer min/max (see Microkernels.clampTile).
                    final boolean clampInput = hardTanh && gx != null && signs >= 0;
                    if (gwBlas != null) Blas.sgemm(false, true, m, taps, ld, 1f, g, 0, ld, cols, 0, ldx, 1f, gwBlas, 0, taps);
                    if (gwAcc != null && sign) {
                        for (int mi = 0; mi < m; mi += 2) {
                            for (int ti = 0; ti < tapsPad; ti += 4) {
                                // Rows past m and taps past taps read real neighbours or padding: their sums are never used.
                                Microkernels.signDot2x4(g, mi * ld, ld, cols, ti * ldx, ldx, ld, wSign, mi * tapsPad + ti, tapsPad,
                                        gwAcc, (mi / 4 * (tapsPad / 4) + ti / 4) * 16 + (mi % 4) * 4);
                            }
                        }
                    } else if (gwAcc != null) {
                        for (int mi = 0; mi < mPad; mi += 4) {
                            for (int ti = 0; ti < tapsPad; ti += 4) {
                                Microkernels.dot4x4(g, mi * ld, ld, cols, ti * ldx, ldx, ld, gwAcc, (mi / 4 * (tapsPad / 4) + ti / 4) * 16);
                            }
                        }
                    }
                    if (gw != null) {
                        for (int mm = 0; mm < m; mm++) {
                            double sum = 0;
                            for (int j = mm * ld, e = j + nb; j < e; j++) sum += g[j];
                            rowSum[mm] += sum;
                        }
                    }
                    if (gx != null && kind == Op.CONV && blas) {
                        Blas.sgemm(true, false, taps, ld, m, 1f, w, 0, taps, g, 0, ld, 0f, d, 0, ld);
                        Im2col.scatterAdd(d, ld, s, offsets, runs, dxp, origin);
                    } else if (gx != null) {
                        for (int ti = 0; ti < tapsPad; ti += kind == Op.ADDER ? 4 : MR) {
                            for (int jt = 0; jt < ld; jt += NR) {
                                if (hardTanh && clampInput) {
                                    Microkernels.clampTile(wt, ti * m * 3, cols, ti * ldx + jt, ldx, g, jt, ld, m, d, ti * ld + jt, ld);
                                } else if (hardTanh) {
                                    Microkernels.hardTanhTile(wt, ti * m * 3, cols, ti * ldx + jt, ldx, g, jt, ld, m, d, ti * ld + jt, ld);
                                } else if (linear) {
                                    LpMicrokernels.linearGradTile(wt, ti * m, cols, ti * ldx + jt, ldx, g, jt, ld, m, d, ti * ld + jt, ld);
                                } else if (lpGrad && LpPower.VECTOR_TILES) {
                                    LpMicrokernels.lpGradTile(wt, ti * m, cols, ti * ldx + jt, ldx, g, jt, ld, m, power, clip, d, ti * ld + jt, ld);
                                } else if (lpGrad) {
                                    LpMicrokernels.lpGradTileScalar(wt, ti * m, cols, ti * ldx + jt, ldx, g, jt, ld, m, p, clip, d, ti * ld + jt, ld);
                                } else {
                                    Microkernels.fmaTile(wt, ti * m, g, jt, ld, m, d, ti * ld + jt, ld);
                                }
                            }
                        }
                        Im2col.scatterAdd(d, ld, s, offsets, runs, dxp, origin);
                    }
                }
                if (dxp != null && !noCopy) Im2col.unpadAdd(dxp, s, g0, g1, gx);
            }
            partialGw[task] = gwAcc;
            partialGwBlas[task] = gwBlas;
            partialRowSum[task] = rowSum;
        });
        if (gw != null) {
            // Sum the tasks' partials in task order (deterministic), then untile into gw.
            double[] total = new double[m * taps], rows = partialRowSum[0];
            for (int t = 0; t < tasks; t++) {
                for (int mm = 0; mm < m; mm++) {
                    for (int tap = 0; tap < taps; tap++) {
                        total[mm * taps + tap] += partialGwBlas[t] != null ? partialGwBlas[t][mm * taps + tap]
                                : partialGw[t][(mm / 4 * (tapsPad / 4) + tap / 4) * 16 + (mm % 4) * 4 + tap % 4];
                    }
                }
                if (t > 0) for (int i = 0; i < rows.length; i++) rows[i] += partialRowSum[t][i];
            }
            for (int mm = 0; mm < m; mm++) {
                for (int t = 0; t < taps; t++) {
                    double gxT = total[mm * taps + t];
                    if (kind == Op.ADDER && !sign) gxT -= w[mm * taps + t] * rows[mm];
                    gw[mm * taps + t] += (float) gxT;
                }
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

    /** w [m][taps] copied into a zero-padded [mPad][tapsPad] matrix. */
    private static float[] paddedRows(float[] w, int m, int taps, int mPad, int tapsPad) {
        float[] dst = new float[mPad * tapsPad];
        for (int r = 0; r < m; r++) System.arraycopy(w, r * taps, dst, r * tapsPad, taps);
        return dst;
    }

    /** [tap / 4][m][12]: w[m][t] + 1 for the 4 taps of the panel, then w[m][t] - 1, then w[m][t] (zero rows past taps). */
    static float[] packHardTanhPanels(float[] w, int m, int taps) {
        float[] dst = new float[roundUp(taps, MR) * m * 3];
        for (int t = 0; t < taps; t++) {
            for (int mm = 0; mm < m; mm++) {
                int at = ((t / 4) * m + mm) * 12 + t % 4;
                dst[at] = w[mm * taps + t] + 1f;
                dst[at + 4] = w[mm * taps + t] - 1f;
                dst[at + 8] = w[mm * taps + t];
            }
        }
        return dst;
    }

    private static int blockWidth(int taps) {
        return Math.max(NR, Math.min(MAX_BLOCK, BLOCK_FLOATS / taps / NR * NR));
    }

    /** Where output column j (image j / positions, position j % positions) of filter 0 is in y. */
    private static int outputOffset(ConvShape s, int j) {
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
        private float[] cols = new float[0], out = new float[0], dcols = new float[0], padded = new float[0], paddedGrad = new float[0];
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

        float[] cols(int size) { return cols.length >= size ? cols : (cols = new float[size]); }
        float[] out(int size) { return out.length >= size ? out : (out = new float[size]); }
        float[] dcols(int size) { return dcols.length >= size ? dcols : (dcols = new float[size]); }
    }
}
