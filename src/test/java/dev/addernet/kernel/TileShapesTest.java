package dev.addernet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * A machine runs one shape of a tile (see {@link Microkernels#SIXTEEN_REGISTERS}), which the kernel tests
 * check against the reference. Here each shape that can be called directly is compared bit for bit with
 * the tiles' arithmetic done one element at a time, so that the 16-register shape is checked on every
 * machine.
 */
class TileShapesTest {
    @Test
    void hardTanhTileAndColumnsComputeInTheTilesOrder() {
        final int L = Microkernels.L, ldx = 2 * L + 3, ldg = 2 * L + 5, ldd = 2 * L + 1, m = 37;
        Rng rng = new Rng(11);
        float[] wpm = new float[m * 8 + 8], x = new float[4 * ldx + 2 * L], g = new float[m * ldg + 2 * L];
        rng.fillGaussian(wpm, 1);
        rng.fillGaussian(x, 1);
        rng.fillGaussian(g, 1);
        float[] exact = new float[4 * ldd + 2 * L], tile = new float[exact.length], columns = new float[exact.length];
        inOrder(wpm, 8, x, 1, ldx, g, 2, ldg, m, exact, 3, ldd);
        Microkernels.hardTanhTile(wpm, 8, x, 1, ldx, g, 2, ldg, m, tile, 3, ldd);
        Microkernels.hardTanhColumn(wpm, 8, x, 1, ldx, g, 2, ldg, m, columns, 3, ldd);
        Microkernels.hardTanhColumn(wpm, 8, x, 1 + L, ldx, g, 2 + L, ldg, m, columns, 3 + L, ldd);
        assertThat(exact).as("the outputs were written").isNotEqualTo(new float[exact.length]);
        assertThat(tile).containsExactly(exact);
        assertThat(columns).containsExactly(exact);
    }

    /** The tiles' arithmetic one element at a time, in their order: (|(w+1) - x| - |(w-1) - x|) g summed over m, halved. */
    private static void inOrder(float[] wpm, int wOff, float[] x, int xOff, int ldx, float[] g, int gOff, int ldg, int m,
                                float[] d, int dOff, int ldd) {
        for (int t = 0; t < 4; t++) {
            for (int j = 0; j < 2 * Microkernels.L; j++) {
                float acc = 0, xv = x[xOff + t * ldx + j];
                for (int mm = 0; mm < m; mm++) {
                    float u = Math.abs(wpm[wOff + mm * 8 + t] - xv) - Math.abs(wpm[wOff + mm * 8 + 4 + t] - xv);
                    acc = Math.fma(u, g[gOff + mm * ldg + j], acc);
                }
                d[dOff + t * ldd + j] = acc * 0.5f;
            }
        }
    }
}
