package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.MR;
import static dev.addernet.kernel.Microkernels.NR;
import static dev.addernet.tensor.Shapes.roundUp;

import jdk.incubator.vector.FloatVector;

/**
 * The adder layer's blocks ({@link ReferenceConv}: y = -sum |x - w|^p, the weight gradient x - w or its
 * sign, the input gradient HardTanh(w - x) or sgn(w - x)|w - x|^(p-1)), on the tiles of {@link Microkernels}
 * (p = 1) and {@link LpMicrokernels} (1 < p <= 2).
 */
final class Adder implements FilterKernel {
    static final Adder KERNEL = new Adder();

    private Adder() {}

    @Override
    public ForwardPass forward(ConvShape s, AdderOptions options, float[] w) {
        final float p = options.p();
        final boolean lp = p != 1f, l2 = p == 2f, l1 = !lp;
        // After a ReLU the L1 forward can use min(x, w) (see Microkernels.minTile): 2 operations instead of 3,
        // decided per block from whether its inputs have a negative value.
        final float[] weightSums = l1 ? rowSums(w, s.m(), s.taps()) : null;
        final int taps = s.taps(), mPad = roundUp(s.m(), MR), mr = lp ? 4 : MR;
        final float[] panels = ConvKernels.packPanels(w, s.m(), taps, taps, 1, mr);
        final LpPower power = lp && !l2 ? LpPower.magnitude(p) : null;
        return new ForwardPass() {
            @Override
            public String tiles() {
                if (l1) return "min(x, w) tile (8 filters x 2 vectors) on blocks after a ReLU, else the |x - w| tile";
                if (l2) return "(x - w)^2 FMA tile (4 filters x 2 vectors)";
                return lpTiles("4 filters");
            }

            @Override
            public boolean readsInPlace() {
                return l1;
            }

            @Override
            public boolean writesDirect() {
                return l1;
            }

            @Override
            public boolean block(ConvKernels.ForwardBlock b) {
                final boolean viaMin = l1 && b.nonNegative;
                final float[] dst = b.dst();
                final int rowStride = b.rowStride(), L = Microkernels.L;
                for (int mt = 0; mt < mPad; mt += mr) {
                    for (int jt = 0; jt < b.ld; jt += NR) {
                        final int va = b.bases[jt / L], vb = b.bases[jt / L + 1];
                        final int at = b.outBases[jt / L] + mt * rowStride;
                        if (lp && l2) {
                            LpMicrokernels.l2Tile(panels, mt * taps, b.cols, jt, b.ldx, taps, p, b.out, mt * b.ld + jt, b.ld);
                        } else if (lp && LpPower.TWO_TABLES) {
                            LpMicrokernels.lpTile(panels, mt * taps, b.cols, jt, b.ldx, taps, power, b.out, mt * b.ld + jt, b.ld);
                        } else if (lp && LpPower.THREE_TABLES) {
                            LpMicrokernels.lpTile8(panels, mt * taps, b.cols, jt, b.ldx, taps, power, b.out, mt * b.ld + jt, b.ld);
                        } else if (lp) {
                            LpMicrokernels.lpTileScalar(panels, mt * taps, b.cols, jt, b.ldx, taps, p, b.out, mt * b.ld + jt, b.ld);
                        } else if (viaMin) {
                            Microkernels.minTile(panels, mt * taps, b.src, b.rowOff, va, vb, taps, dst, at, rowStride);
                        } else {
                            Microkernels.l1Tile(panels, mt * taps, b.src, b.rowOff, va, vb, taps, dst, at, rowStride);
                        }
                    }
                }
                if (viaMin) minToDistance(dst, b.outBases, rowStride, b.ld, b.src, b.rowOff, b.bases, taps, weightSums, b.columnScratch());
                return b.direct;
            }
        };
    }

    @Override
    public BackwardPass backward(ConvShape s, AdderOptions options, float[] w, boolean inputGradient, boolean weightGradient) {
        final float p = options.p();
        final boolean clip = options.clipInputGradient(), sign = options.signWeightGradient();
        final int m = s.m(), taps = s.taps(), mPad = roundUp(m, MR), tapsPad = roundUp(taps, MR);
        // Which input-gradient tile: HardTanh(w - x) at p = 1, and at p = 2 when clipped; else sgn(u)|u|^(p-1).
        final boolean hardTanh = p == 1f || (p == 2f && clip), linear = p == 2f && !clip, lpGrad = !hardTanh && !linear;
        final LpPower power = lpGrad && inputGradient ? LpPower.signedMagnitude(p - 1f) : null;
        // W^T packed in panels of 4 taps: for the HardTanh tiles w + 1, w - 1 and w; for the Lp tiles w.
        final float[] wt = !inputGradient ? null : hardTanh ? packHardTanhPanels(w, m, taps) : ConvKernels.packPanels(w, taps, m, 1, taps, 4);
        final float[] wSign = sign ? paddedRows(w, m, taps, mPad, tapsPad) : null;
        // Stride 1 with planes of whole vectors and channels in fours: the HardTanh input gradient of inputs after a
        // ReLU can be computed in image space (Microkernels.clampImageTile), which packs and scatters nothing.
        final boolean imageSpace = inputGradient && hardTanh && s.stride() == 1 && s.h() * s.w() % Microkernels.L == 0 && s.c() % 4 == 0
                && s.pad() <= s.k() - 1;
        final float[] wImage = imageSpace ? packImagePanels(w, m, s.c(), s.k() * s.k()) : null;
        final boolean blas = Blas.enabled() && !sign;
        // The full-precision weight gradient, where the shape allows, off copies of the images (no im2col).
        final boolean weightImageSpace = weightGradient && !sign && ImageWeightGradient.applies(s);
        return new BackwardPass() {
            @Override
            public String tiles() {
                // With 16 vector registers (x86 below AVX-512) the two-vector clamp tiles run as two passes of one.
                String vectors = Microkernels.SIXTEEN_REGISTERS ? " x 1 vector, two passes)" : " x 2 vectors)";
                String input = hardTanh ? (imageSpace ? "image-space clamp tile (" + (Microkernels.SIXTEEN_REGISTERS ? "4 channels x 1 vector" : "2 channels x 4 vectors") + ") on groups after a ReLU, else " : "")
                        + "HardTanh tile (4 taps" + vectors + ", integer clamp on blocks after a ReLU"
                        : linear ? "w - x FMA tile (4 taps x 2 vectors)"
                        : lpTiles("4 taps");
                String weight = sign ? "sign tiles (2 filters x 4 taps)"
                        : (weightImageSpace ? ImageWeightGradient.TILES : blas ? "OpenBLAS sgemm" : "4 x 4 dot tiles") + " G X^T - w rowsum(G)";
                return "input: " + input + "; weight: " + weight;
            }

            @Override
            public boolean inputGradientReadsInputs() {
                return true;
            }

            @Override
            public ConvKernels.WeightPartial newPartial() {
                // The full-precision gradient sum (x - w) g is G X^T - w rowsum(G); the sign gradient has tiles of its own.
                return sign ? new ConvKernels.WeightPartial(null, new double[mPad * tapsPad], null)
                        : ConvKernels.WeightPartial.product(s, blas, true);
            }

            @Override
            public void weightBlock(ConvKernels.BackwardBlock b, ConvKernels.WeightPartial acc) {
                if (!sign) {
                    acc.addProduct(b);
                    return;
                }
                for (int mi = 0; mi < m; mi += 2) {
                    for (int ti = 0; ti < tapsPad; ti += 4) {
                        // Rows past m and taps past taps read real neighbours or padding: their sums are never used.
                        Microkernels.signDot2x4(b.g, mi * b.ld, b.ld, b.cols, ti * b.ldx, b.ldx, b.ld, wSign, mi * tapsPad + ti, tapsPad,
                                acc.tiled, (mi / 4 * (tapsPad / 4) + ti / 4) * 16 + (mi % 4) * 4);
                    }
                }
            }

            @Override
            public void inputBlock(ConvKernels.BackwardBlock b) {
                // After a ReLU the HardTanh input gradient clamps with integer min/max (see Microkernels.clampTile).
                final boolean clampInput = hardTanh && b.nonNegative;
                final int ld = b.ld, ldx = b.ldx;
                for (int ti = 0; ti < tapsPad; ti += 4) {
                    for (int jt = 0; jt < ld; jt += NR) {
                        if (clampInput) {
                            Microkernels.clampTile(wt, ti * m * 3, b.cols, ti * ldx + jt, ldx, b.g, jt, ld, m, b.d, ti * ld + jt, ld);
                        } else if (hardTanh) {
                            Microkernels.hardTanhTile(wt, ti * m * 3, b.cols, ti * ldx + jt, ldx, b.g, jt, ld, m, b.d, ti * ld + jt, ld);
                        } else if (linear) {
                            LpMicrokernels.linearGradTile(wt, ti * m, b.cols, ti * ldx + jt, ldx, b.g, jt, ld, m, b.d, ti * ld + jt, ld);
                        } else if (LpPower.TWO_TABLES) {
                            LpMicrokernels.lpGradTile(wt, ti * m, b.cols, ti * ldx + jt, ldx, b.g, jt, ld, m, power, clip, b.d, ti * ld + jt, ld);
                        } else if (LpPower.THREE_TABLES) {
                            LpMicrokernels.lpGradTile8(wt, ti * m, b.cols, ti * ldx + jt, ldx, b.g, jt, ld, m, power, clip, b.d, ti * ld + jt, ld);
                        } else {
                            LpMicrokernels.lpGradTileScalar(wt, ti * m, b.cols, ti * ldx + jt, ldx, b.g, jt, ld, m, p, clip, b.d, ti * ld + jt, ld);
                        }
                    }
                }
            }

            @Override
            public boolean weightInImageSpace() {
                return weightImageSpace;
            }

            @Override
            public boolean inputInImageSpace() {
                return imageSpace;
            }

            @Override
            public void inputGroup(float[] x, PaddedGradient layout, float[] gp, float[] gx, int g0, int g1) {
                final int kk = s.k() * s.k(), plane = s.h() * s.w(), L = Microkernels.L, vectors = plane / L;
                final int gFilter = layout.filterSize();
                final int[] gShift = layout.shifts();
                for (int img = g0; img < g1; img++) {
                    final int gImage = (img - g0) * m * gFilter;
                    for (int c0 = 0; c0 < s.c(); c0 += 4) {
                        final int xBase = (img * s.c() + c0) * plane, wOff = c0 / 4 * kk * m * 12;
                        int v = 0;
                        if (!Microkernels.SIXTEEN_REGISTERS) {
                            for (; v + 3 < vectors; v += 4) {
                                final int pa = v * L, ga = gImage + layout.base(pa), gb = gImage + layout.base(pa + L);
                                final int gc = gImage + layout.base(pa + 2 * L), gd = gImage + layout.base(pa + 3 * L);
                                for (int lane = 0; lane < 4; lane += 2) {
                                    Microkernels.clampImageTile(wImage, wOff, lane, kk, m, x, xBase + lane * plane + pa, plane, gp, ga, gb, gc, gd,
                                            gFilter, gShift, gx);
                                }
                            }
                        }
                        for (; v < vectors; v++) {
                            final int pa = v * L;
                            Microkernels.clampImageColumn(wImage, wOff, kk, m, x, xBase + pa, plane, gp, gImage + layout.base(pa), gFilter,
                                    gShift, gx);
                        }
                    }
                }
            }

            @Override
            public double weightGradient(double total, double[] rowSums, float[] w, int mm, int taps, int t) {
                return sign ? total : total - w[mm * taps + t] * rowSums[mm];
            }
        };
    }

    /** The Lp tiles' description for {@code bench}, their rows being {@code rows}. */
    private static String lpTiles(String rows) {
        return LpPower.VECTOR_TILES ? "Lp table tile (" + rows + " x 2 vectors, " + (LpPower.TWO_TABLES ? "two" : "three") + " exponent tables)"
                : "Lp scalar tile (Math.pow)";
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

    /** w [m][taps] copied into a zero-padded [mPad][tapsPad] matrix. */
    private static float[] paddedRows(float[] w, int m, int taps, int mPad, int tapsPad) {
        float[] dst = new float[mPad * tapsPad];
        for (int r = 0; r < m; r++) System.arraycopy(w, r * taps, dst, r * tapsPad, taps);
        return dst;
    }

    /**
     * [c / 4][tap of the k x k][m][12]: w + 1 of the 4 channels of the panel at that tap, then w - 1, then w
     * (the image-space input gradient's panels; c a multiple of 4).
     */
    static float[] packImagePanels(float[] w, int m, int c, int kk) {
        float[] dst = new float[c / 4 * kk * m * 12];
        for (int ch = 0; ch < c; ch++) {
            for (int t = 0; t < kk; t++) {
                for (int mm = 0; mm < m; mm++) {
                    putClampBounds(dst, ((ch / 4 * kk + t) * m + mm) * 12 + ch % 4, w[(mm * c + ch) * kk + t]);
                }
            }
        }
        return dst;
    }

    /** One weight's entries in a 12-float panel of 4 lanes: w + 1 at {@code at}, w - 1 four later, w eight later. */
    private static void putClampBounds(float[] panel, int at, float w) {
        panel[at] = w + 1f;
        panel[at + 4] = w - 1f;
        panel[at + 8] = w;
    }

    /** [tap / 4][m][12]: w[m][t] + 1 for the 4 taps of the panel, then w[m][t] - 1, then w[m][t] (zero rows past taps). */
    static float[] packHardTanhPanels(float[] w, int m, int taps) {
        float[] dst = new float[roundUp(taps, MR) * m * 3];
        for (int t = 0; t < taps; t++) {
            for (int mm = 0; mm < m; mm++) {
                putClampBounds(dst, ((t / 4) * m + mm) * 12 + t % 4, w[mm * taps + t]);
            }
        }
        return dst;
    }

}
