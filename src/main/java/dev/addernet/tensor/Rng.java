package dev.addernet.tensor;

/**
 * The project's one random generator: SplitMix64, whose whole state is one {@code long}, written out rather
 * than taken from the JDK so that every draw (initial weights, data order, augmentation) is a pure function
 * of its seed on every JDK: a run resumed at epoch e sees what one that never stopped saw.
 *
 * <p>Streams for different purposes come from seeds mixed with keys: {@link #derive} for the model, the
 * methods and the toy tasks, {@link #of} for the data order and augmentation. They mix differently, and
 * {@link #nextInt} and {@link #nextIntLemire} bound differently, because recorded runs were made with each;
 * both stay so that those runs reproduce bit for bit.
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;
    private double spareGaussian = Double.NaN;

    public Rng(long seed) {
        this.state = seed;
    }

    /** A generator for a sub-stream identified by {@code keys}, independent of this one's position. */
    public static Rng derive(long seed, long... keys) {
        long s = mix(seed ^ GOLDEN);
        for (long k : keys) s = mix(s ^ mix(k + 0x632BE59BD9B4E019L));
        return new Rng(s);
    }

    /** The data's generator for {@code parts} (seed, epoch, image); nearby inputs (epoch 3 and 4) give unrelated streams. */
    public static Rng of(long... parts) {
        long h = 0;
        for (long part : parts) h = mix(h + GOLDEN + part);
        return new Rng(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound), as 63 random bits modulo the bound (a bias below 2^-32). */
    public int nextInt(int bound) {
        return (int) Math.floorMod(nextLong() >>> 1, (long) bound);
    }

    /** Uniform integer in [0, bound), exactly (Lemire's method on the top 32 bits): the data's draws. */
    public int nextIntLemire(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates with {@link #nextIntLemire}): the data order. */
    public int[] permutation(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = nextIntLemire(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
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
