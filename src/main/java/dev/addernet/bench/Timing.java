package dev.addernet.bench;

/** Wall-clock timing: warm up, then the best mean over a few rounds of repeated calls. */
final class Timing {
    private Timing() {}

    static double best(Runnable body, double minSeconds) {
        return best(body, minSeconds, minSeconds * 0.5);
    }

    /** As {@link #best(Runnable, double)}, warming up for at least {@code warmSeconds} (and 3 calls). */
    static double best(Runnable body, double minSeconds, double warmSeconds) {
        long t0 = System.nanoTime();
        int warm = 0;
        while (warm < 3 || System.nanoTime() - t0 < warmSeconds * 1e9) {
            body.run();
            warm++;
        }
        double perCall = (System.nanoTime() - t0) / 1e9 / warm;
        int reps = Math.max(1, (int) (minSeconds / 3 / perCall));
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long s = System.nanoTime();
            for (int i = 0; i < reps; i++) body.run();
            best = Math.min(best, (System.nanoTime() - s) / 1e9 / reps);
        }
        return best;
    }
}
