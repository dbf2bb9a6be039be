package dev.addernet.data.loading;

/**
 * A mini-batch ready for the network: normalised float32 images, N x C x H x W row-major, and their
 * labels.
 *
 * <p>The arrays are not copied: each batch from {@link BatchLoader} owns fresh arrays, which the
 * consumer may keep or overwrite.
 *
 * @param images {@code count * channels * height * width} values
 * @param labels {@code count} class indices
 */
public record Batch(float[] images, int[] labels, int count, int channels, int height, int width) {

    public Batch {
        if (labels.length != count || images.length != (long) count * channels * height * width) {
            throw new IllegalArgumentException("batch of " + count + " images of " + channels + "x" + height
                    + "x" + width + " needs " + (long) count * channels * height * width + " values and "
                    + count + " labels, got " + images.length + " and " + labels.length);
        }
    }
}
