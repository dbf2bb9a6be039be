package dev.addernet.kernel;

import dev.addernet.tensor.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The register tiles on one packed column block held in cache (taps x 96 columns, 64 filters): the
 * kernels' own speed without im2col, col2im or threading. Divide taps * 96 * 64 by the time for
 * elements per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TileBenchmark {
    @Param({"144", "576"})
    int taps;

    static final int M = 64, LD = 96, LDX = LD + Microkernels.L;
    float[] cols, panels, panels4, wpm, out, g;
    final LpPower LP15 = LpPower.magnitude(1.5f);
    int[] rows;

    @Setup
    public void setup() {
        Rng rng = new Rng(1);
        cols = new float[taps * LDX + Microkernels.L];
        rng.fillGaussian(cols, 1);
        for (int i = 0; i < cols.length; i++) cols[i] = Math.abs(cols[i]); // non-negative: valid for minTile too
        float[] w = new float[M * taps];
        rng.fillGaussian(w, 1);
        panels = ConvKernels.packPanels(w, M, taps, taps, 1, Microkernels.MR);
        panels4 = ConvKernels.packPanels(w, M, taps, taps, 1, 4);
        wpm = Adder.packHardTanhPanels(w, M, taps);
        out = new float[Math.max(M, taps + 8) * LD];
        g = new float[M * LD];
        rng.fillGaussian(g, 1);
        rows = new int[taps];
        for (int t = 0; t < taps; t++) rows[t] = t * LDX;
    }

    @Benchmark
    public float l1() {
        for (int mt = 0; mt < M; mt += Microkernels.MR) {
            for (int jt = 0; jt < LD; jt += Microkernels.NR) Microkernels.l1Tile(panels, mt * taps, cols, rows, jt, jt + Microkernels.L, taps, out, mt * LD + jt, LD);
        }
        return out[0];
    }

    @Benchmark
    public float min() {
        for (int mt = 0; mt < M; mt += Microkernels.MR) {
            for (int jt = 0; jt < LD; jt += Microkernels.NR) Microkernels.minTile(panels, mt * taps, cols, rows, jt, jt + Microkernels.L, taps, out, mt * LD + jt, LD);
        }
        return out[0];
    }

    @Benchmark
    public float lp15() {
        for (int mt = 0; mt < M; mt += 4) {
            for (int jt = 0; jt < LD; jt += Microkernels.NR) {
                if (LpPower.TWO_TABLES) LpMicrokernels.lpTile(panels4, mt * taps, cols, jt, LDX, taps, LP15, out, mt * LD + jt, LD);
                else LpMicrokernels.lpTile8(panels4, mt * taps, cols, jt, LDX, taps, LP15, out, mt * LD + jt, LD);
            }
        }
        return out[0];
    }

    @Benchmark
    public float hardTanhInputGradient() {
        return inputGradient(false);
    }

    @Benchmark
    public float clampInputGradient() {
        return inputGradient(true);
    }

    private float inputGradient(boolean clamp) {
        for (int ti = 0; ti + 4 <= taps; ti += 4) {
            for (int jt = 0; jt < LD; jt += Microkernels.NR) {
                if (clamp) Microkernels.clampTile(wpm, ti * M * 3, cols, ti * LDX + jt, LDX, g, jt, LD, M, out, ti * LD + jt, LD);
                else Microkernels.hardTanhTile(wpm, ti * M * 3, cols, ti * LDX + jt, LDX, g, jt, LD, M, out, ti * LD + jt, LD);
            }
        }
        return out[0];
    }
}
