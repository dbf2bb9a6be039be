package dev.addernet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The tiles compared bit for bit with their arithmetic done one element at a time, in their order
 * (partial sums of KC terms, unaligned rows). A machine runs one shape of the input-gradient tile (see
 * {@link Microkernels#SIXTEEN_REGISTERS}); both shapes are called here, so each is checked on every machine.
 */
class TileShapesTest {
    @Test
    void hardTanhTileAndColumnsComputeInTheTilesOrder() {
        final int L = Microkernels.L, ldx = 2 * L + 3, ldg = 2 * L + 5, ldd = 2 * L + 1, m = 37;
        Rng rng = new Rng(11);
        float[] wpm = new float[m * 12 + 8], x = new float[4 * ldx + 2 * L], g = new float[m * ldg + 2 * L];
        rng.fillGaussian(wpm, 1);
        rng.fillGaussian(x, 1);
        rng.fillGaussian(g, 1);
        float[] exact = new float[4 * ldd + 2 * L];
        inOrder(wpm, 8, x, 1, ldx, g, 2, ldg, m, exact, 3, ldd);
        assertBothShapesGive(exact, Microkernels::hardTanhTile, Microkernels::hardTanhColumn, wpm, x, ldx, g, ldg, m, ldd);
    }

    /** An input-gradient tile's signature: (wpm, wOff, x, xOff, ldx, g, gOff, ldg, m, d, dOff, ldd). */
    private interface InputGradientTile {
        void run(float[] wpm, int wOff, float[] x, int xOff, int ldx, float[] g, int gOff, int ldg, int m, float[] d, int dOff, int ldd);
    }

    /** The 2-vector tile, and the 1-vector shape called once per vector, both give {@code exact} (offsets 8, 1, 2, 3). */
    private static void assertBothShapesGive(float[] exact, InputGradientTile tile, InputGradientTile column, float[] wpm,
                                             float[] x, int ldx, float[] g, int ldg, int m, int ldd) {
        final int L = Microkernels.L;
        float[] wide = new float[exact.length], columns = new float[exact.length];
        tile.run(wpm, 8, x, 1, ldx, g, 2, ldg, m, wide, 3, ldd);
        column.run(wpm, 8, x, 1, ldx, g, 2, ldg, m, columns, 3, ldd);
        column.run(wpm, 8, x, 1 + L, ldx, g, 2 + L, ldg, m, columns, 3 + L, ldd);
        assertThat(exact).as("the outputs were written").isNotEqualTo(new float[exact.length]);
        assertThat(wide).containsExactly(exact);
        assertThat(columns).containsExactly(exact);
    }

    @Test
    void clampTileAndColumnsComputeInTheTilesOrder() {
        final int L = Microkernels.L, ldx = 2 * L + 3, ldg = 2 * L + 5, ldd = 2 * L + 1, m = 37;
        Rng rng = new Rng(13);
        float[] w = new float[m * 4], x = new float[4 * ldx + 2 * L], g = new float[m * ldg + 2 * L];
        rng.fillGaussian(w, 1);
        rng.fillGaussian(x, 1);
        rng.fillGaussian(g, 1);
        for (int i = 0; i < x.length; i++) x[i] = Math.max(x[i], 0f); // the clamp tile's inputs: after a ReLU
        float[] wpm = new float[m * 12 + 8];
        for (int mm = 0; mm < m; mm++) {
            for (int t = 0; t < 4; t++) {
                wpm[8 + mm * 12 + t] = w[mm * 4 + t] + 1f;
                wpm[8 + mm * 12 + 4 + t] = w[mm * 4 + t] - 1f;
                wpm[8 + mm * 12 + 8 + t] = w[mm * 4 + t];
            }
        }
        float[] exact = new float[4 * ldd + 2 * L];
        for (int t = 0; t < 4; t++) {
            for (int j = 0; j < 2 * L; j++) {
                float acc = 0, xv = x[1 + t * ldx + j];
                for (int mm = 0; mm < m; mm++) {
                    float hi = wpm[8 + mm * 12 + t], lo = wpm[8 + mm * 12 + 4 + t], wv = wpm[8 + mm * 12 + 8 + t];
                    float clamped = Math.min(Math.max(xv, lo), hi);
                    acc = Math.fma(wv - clamped, g[2 + mm * ldg + j], acc);
                }
                exact[3 + t * ldd + j] = acc;
            }
        }
        assertBothShapesGive(exact, Microkernels::clampTile, Microkernels::clampColumn, wpm, x, ldx, g, ldg, m, ldd);
    }

    @Test
    void forwardTilesComputeTheirSumsInOrder() {
        final int L = Microkernels.L, k = 2 * Microkernels.KC + 7, ldc = 2 * L + 3;
        Rng rng = new Rng(12);
        float[] a = new float[k * Microkernels.MR], b = new float[k * 3 * L + 4 * L];
        rng.fillGaussian(a, 1);
        rng.fillGaussian(b, 1);
        int[] rowOff = new int[k];
        for (int t = 0; t < k; t++) rowOff[t] = t * 3 * L + (t % 3); // unaligned rows, as the in-place image reads them
        final int baseA = 2, baseB = 2 + L + 1;
        for (boolean min : new boolean[] {false, true}) {
            float[] bIn = b.clone();
            if (min) for (int i = 0; i < bIn.length; i++) bIn[i] = Math.max(bIn[i], 0f);
            float[] exact = new float[8 * ldc], tile = new float[exact.length];
            for (int r = 0; r < 8; r++) {
                for (int j = 0; j < 2 * L; j++) {
                    float out = 0;
                    for (int k0 = 0; k0 < k; k0 += Microkernels.KC) {
                        float acc = 0;
                        for (int t = k0; t < Math.min(k, k0 + Microkernels.KC); t++) {
                            float x = bIn[(j < L ? baseA + j : baseB + j - L) + rowOff[t]], w = a[t * Microkernels.MR + r];
                            acc = min ? acc + Math.min(x, w) : acc - Math.abs(x - w);
                        }
                        out = k0 == 0 ? acc : acc + out;
                    }
                    exact[r * ldc + j] = out;
                }
            }
            if (min) {
                Microkernels.minTile(a, 0, bIn, rowOff, baseA, baseB, k, tile, 0, ldc);
            } else {
                Microkernels.l1Tile(a, 0, bIn, rowOff, baseA, baseB, k, tile, 0, ldc);
            }
            assertThat(tile).as(min ? "minTile" : "l1Tile").containsExactly(exact);
        }
    }

    /** The tiles' arithmetic one element at a time, in their order: (|(w+1) - x| - |(w-1) - x|) g summed over m, halved. */
    private static void inOrder(float[] wpm, int wOff, float[] x, int xOff, int ldx, float[] g, int gOff, int ldg, int m,
                                float[] d, int dOff, int ldd) {
        for (int t = 0; t < 4; t++) {
            for (int j = 0; j < 2 * Microkernels.L; j++) {
                float acc = 0, xv = x[xOff + t * ldx + j];
                for (int mm = 0; mm < m; mm++) {
                    float u = Math.abs(wpm[wOff + mm * 12 + t] - xv) - Math.abs(wpm[wOff + mm * 12 + 4 + t] - xv);
                    acc = Math.fma(u, g[gOff + mm * ldg + j], acc);
                }
                d[dOff + t * ldd + j] = acc * 0.5f;
            }
        }
    }
}
