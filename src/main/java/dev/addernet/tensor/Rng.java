package dev.addernet.tensor;

/**
 * A small seeded random generator (SplitMix64) whose whole state is one {@code long}, so that a run
 * can be reproduced from its seed. Streams for different purposes are derived with {@link #derive},
 * which keeps, for example, the shuffle order of epoch e a pure function of (seed, e).
 */
public final class Rng {
    private long state;
    private double spareGaussian = Double.NaN;

    public Rng(long seed) {
        this.state = seed;
    }

    /** A generator for a sub-stream identified by {@code keys}, independent of this one's position. */
    public static Rng derive(long seed, long... keys) {
        long s = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long k : keys) s = mix(s ^ mix(k + 0x632BE59BD9B4E019L));
        return new Rng(s);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return (int) Math.floorMod(nextLong() >>> 1, (long) bound);
    }

    /** Standard normal (Box-Muller, caching the second value). */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = r * Math.sin(2 * Math.PI * u2);
        return r * Math.cos(2 * Math.PI * u2);
    }

    public void fillGaussian(float[] a, double std) {
        for (int i = 0; i < a.length; i++) a[i] = (float) (nextGaussian() * std);
    }

    public void fillUniform(float[] a, double lo, double hi) {
        for (int i = 0; i < a.length; i++) a[i] = (float) (lo + (hi - lo) * nextDouble());
    }
}
