package dev.addernet.data;

import java.util.random.RandomGenerator;

/**
 * SplitMix64 generator. Written out here, rather than using a JDK generator, so that shuffles and
 * augmentations are a pure function of their seed forever, independent of the JDK version: a run
 * resumed at epoch e must see the same order as one that never stopped.
 */
final class SplitMix64 implements RandomGenerator {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** A generator whose stream depends on all parts; nearby inputs (epoch 3 vs 4) give unrelated streams. */
    static SplitMix64 of(long... parts) {
        long h = 0;
        for (long part : parts) {
            h = mix(h + GOLDEN + part);
        }
        return new SplitMix64(h);
    }

    @Override
    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Unbiased bounded integer (Lemire's method); overridden so its result never depends on the JDK. */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
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

    /**
     * A uniform double in [0, 1) from the top 53 bits of one {@code nextLong()}: written out, rather
     * than the JDK's {@code nextDouble()}, so that augmentation draws never depend on the JDK.
     */
    static double unit(RandomGenerator random) {
        return (random.nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    int[] permutation(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
