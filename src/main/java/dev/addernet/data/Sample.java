package dev.addernet.data;

/**
 * One image on its way into a batch: float C x H x W row-major values in [0, 1], not yet normalised.
 *
 * <p>The array is not copied; a {@link SampleTransform} may modify it in place.
 */
public record Sample(float[] values, int channels, int height, int width) {

    public Sample {
        if (channels <= 0 || height <= 0 || width <= 0
                || values.length != (long) channels * height * width) {
            throw new IllegalArgumentException("sample of " + channels + "x" + height + "x" + width
                    + " needs " + (long) channels * height * width + " values, got " + values.length);
        }
    }

    /** Index of value (c, y, x) in {@link #values()}. */
    public int index(int c, int y, int x) {
        return (c * height + y) * width + x;
    }
}
