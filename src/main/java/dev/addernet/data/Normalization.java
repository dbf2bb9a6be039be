package dev.addernet.data;

import java.util.Arrays;

/**
 * Per-channel normalisation {@code (x - mean[c]) / std[c]}, applied to pixel values already scaled
 * to [0, 1] (as torchvision's {@code ToTensor} followed by {@code Normalize}).
 *
 * <p>The arrays are copied in and out, so an instance (and the shared constants) cannot be changed.
 */
public record Normalization(float[] mean, float[] std) {

    public static final Normalization FASHION_MNIST = new Normalization(
            new float[] {0.2860f}, new float[] {0.3530f});
    public static final Normalization MNIST = new Normalization(
            new float[] {0.1307f}, new float[] {0.3081f});
    public static final Normalization CIFAR = new Normalization(
            new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2023f, 0.1994f, 0.2010f});
    public static final Normalization IMAGENET = new Normalization(
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalisation needs one mean and one std per channel, got "
                    + mean.length + " means and " + std.length + " stds");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("normalisation std must be positive: " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Number of channels this normalisation applies to. */
    public int channels() {
        return mean.length;
    }

    /** A copy of the per-channel means. */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** A copy of the per-channel standard deviations. */
    @Override
    public float[] std() {
        return std.clone();
    }

    /** Mean of channel {@code c}, without copying. */
    public float mean(int c) {
        return mean[c];
    }

    /** Standard deviation of channel {@code c}, without copying. */
    public float std(int c) {
        return std[c];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
