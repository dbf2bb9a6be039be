package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.L;
import static dev.addernet.kernel.Microkernels.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The machine's ceiling for our tiles, measured in-process: the same 8 x 2-vector register tile as
 * {@link Microkernels#l1Tile} / {@link Microkernels#fmaTile}, but with its inputs resident in L1 and no
 * packing, so the figure is what the arithmetic alone sustains on one core.
 */
public final class Peak {
    private Peak() {}

    /** |x - w| accumulate elements per second on one core. */
    public static double adderElementsPerSecond() {
        return measure(true);
    }

    /**
     * |x - w| accumulate elements per second of {@code threads} threads running the tile at once: the ceiling
     * of a multi-threaded pass (below threads times one core's when cores share a clock or a port).
     */
    public static double adderElementsPerSecond(int threads) {
        if (threads == 1) return measure(true);
        double[] each = new double[threads];
        Thread[] running = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            running[t] = Thread.ofPlatform().start(() -> each[id] = measure(true));
        }
        try {
            for (Thread t : running) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the peak", e);
        }
        return java.util.Arrays.stream(each).sum();
    }

    /** Fused multiply-add elements per second on one core. */
    public static double fmaElementsPerSecond() {
        return measure(false);
    }

    private static double measure(boolean adder) {
        float[] a = new float[8 * 64], b = new float[64 * 2 * L];
        for (int i = 0; i < a.length; i++) a[i] = (i % 7) * 0.1f;
        for (int i = 0; i < b.length; i++) b[i] = (i % 5) * 0.2f;
        float sink = 0;
        for (int i = 0; i < 200; i++) sink += run(adder, a, b, 2000);
        double best = 0;
        for (int rep = 0; rep < 5; rep++) {
            int iters = 200_000;
            long t0 = System.nanoTime();
            sink += run(adder, a, b, iters);
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, iters * 8.0 * 2 * L / s);
        }
        if (sink == 42) System.out.print(""); // keeps the result alive
        return best;
    }

    private static float run(boolean adder, float[] a, float[] b, int iters) {
        return adder ? adderLoop(a, b, iters) : fmaLoop(a, b, iters);
    }

    private static float adderLoop(float[] a, float[] b, int iters) {
        FloatVector c0a = FloatVector.zero(S), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a, c3b = c0a;
        FloatVector c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a, c6b = c0a, c7a = c0a, c7b = c0a;
        for (int it = 0; it < iters; it++) {
            int k = (it & 63);
            FloatVector xa = FloatVector.fromArray(S, b, k * 2 * L), xb = FloatVector.fromArray(S, b, k * 2 * L + L);
            int o = k * 8;
            FloatVector w0 = FloatVector.broadcast(S, a[o]), w1 = FloatVector.broadcast(S, a[o + 1]);
            FloatVector w2 = FloatVector.broadcast(S, a[o + 2]), w3 = FloatVector.broadcast(S, a[o + 3]);
            FloatVector w4 = FloatVector.broadcast(S, a[o + 4]), w5 = FloatVector.broadcast(S, a[o + 5]);
            FloatVector w6 = FloatVector.broadcast(S, a[o + 6]), w7 = FloatVector.broadcast(S, a[o + 7]);
            c0a = c0a.sub(xa.sub(w0).abs()); c0b = c0b.sub(xb.sub(w0).abs());
            c1a = c1a.sub(xa.sub(w1).abs()); c1b = c1b.sub(xb.sub(w1).abs());
            c2a = c2a.sub(xa.sub(w2).abs()); c2b = c2b.sub(xb.sub(w2).abs());
            c3a = c3a.sub(xa.sub(w3).abs()); c3b = c3b.sub(xb.sub(w3).abs());
            c4a = c4a.sub(xa.sub(w4).abs()); c4b = c4b.sub(xb.sub(w4).abs());
            c5a = c5a.sub(xa.sub(w5).abs()); c5b = c5b.sub(xb.sub(w5).abs());
            c6a = c6a.sub(xa.sub(w6).abs()); c6b = c6b.sub(xb.sub(w6).abs());
            c7a = c7a.sub(xa.sub(w7).abs()); c7b = c7b.sub(xb.sub(w7).abs());
        }
        return c0a.add(c0b).add(c1a).add(c1b).add(c2a).add(c2b).add(c3a).add(c3b).add(c4a).add(c4b).add(c5a).add(c5b)
                .add(c6a).add(c6b).add(c7a).add(c7b).reduceLanes(VectorOperators.ADD);
    }

    private static float fmaLoop(float[] a, float[] b, int iters) {
        FloatVector c0a = FloatVector.zero(S), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a, c3b = c0a;
        FloatVector c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a, c6b = c0a, c7a = c0a, c7b = c0a;
        for (int it = 0; it < iters; it++) {
            int k = (it & 63);
            FloatVector xa = FloatVector.fromArray(S, b, k * 2 * L), xb = FloatVector.fromArray(S, b, k * 2 * L + L);
            int o = k * 8;
            FloatVector w0 = FloatVector.broadcast(S, a[o]), w1 = FloatVector.broadcast(S, a[o + 1]);
            FloatVector w2 = FloatVector.broadcast(S, a[o + 2]), w3 = FloatVector.broadcast(S, a[o + 3]);
            FloatVector w4 = FloatVector.broadcast(S, a[o + 4]), w5 = FloatVector.broadcast(S, a[o + 5]);
            FloatVector w6 = FloatVector.broadcast(S, a[o + 6]), w7 = FloatVector.broadcast(S, a[o + 7]);
            c0a = xa.fma(w0, c0a); c0b = xb.fma(w0, c0b);
            c1a = xa.fma(w1, c1a); c1b = xb.fma(w1, c1b);
            c2a = xa.fma(w2, c2a); c2b = xb.fma(w2, c2b);
            c3a = xa.fma(w3, c3a); c3b = xb.fma(w3, c3b);
            c4a = xa.fma(w4, c4a); c4b = xb.fma(w4, c4b);
            c5a = xa.fma(w5, c5a); c5b = xb.fma(w5, c5b);
            c6a = xa.fma(w6, c6a); c6b = xb.fma(w6, c6b);
            c7a = xa.fma(w7, c7a); c7b = xb.fma(w7, c7b);
        }
        return c0a.add(c0b).add(c1a).add(c1b).add(c2a).add(c2b).add(c3a).add(c3b).add(c4a).add(c4b).add(c5a).add(c5b)
                .add(c6a).add(c6b).add(c7a).add(c7b).reduceLanes(VectorOperators.ADD);
    }
}
