package dev.addernet.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable labelled set of images held in memory, stored as unsigned 8-bit pixels in
 * N x C x H x W row-major order. Bytes rather than floats keep a dataset at a quarter of the memory;
 * conversion to floats happens per image in {@link #sample(int)}, called by {@link BatchLoader}.
 */
public final class ImageSet implements LabelledImages {

    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    /**
     * Creates a set from copies of the given arrays.
     *
     * @param pixels unsigned 8-bit values, {@code labels.length * channels * height * width} of them
     * @param labels class index of each image, each in [0, classNames.size())
     * @throws DataException if the sizes disagree or a label is out of range
     */
    public ImageSet(String name, byte[] pixels, int[] labels, int channels, int height, int width,
            List<String> classNames) {
        this(name, pixels.clone(), labels.clone(), channels, height, width, List.copyOf(classNames), true);
    }

    /** Takes ownership of the arrays without copying: for readers in this package that built them fresh. */
    public static ImageSet wrap(String name, byte[] pixels, int[] labels, int channels, int height, int width,
            List<String> classNames) {
        return new ImageSet(name, pixels, labels, channels, height, width, List.copyOf(classNames), true);
    }

    private ImageSet(String name, byte[] pixels, int[] labels, int channels, int height, int width,
            List<String> classNames, boolean validate) {
        this.name = Objects.requireNonNull(name, "name");
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = classNames;
        if (validate) {
            validate();
        }
    }

    private void validate() {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new DataException(name + ": image shape " + channels + "x" + height + "x" + width
                    + ", expected positive channels, height and width");
        }
        if (classNames.isEmpty()) {
            throw new DataException(name + ": no class names, expected at least one class");
        }
        long expected = (long) labels.length * sampleSize();
        if (pixels.length != expected) {
            throw new DataException(name + ": " + pixels.length + " pixel values, expected " + expected
                    + " (" + labels.length + " images of " + channels + "x" + height + "x" + width + ")");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new DataException(name + ": label " + labels[i] + " of image " + i
                        + " is out of range, expected [0," + classNames.size() + ")");
            }
        }
    }

    /** Dataset name, for messages and logs (e.g. {@code fashion-mnist}). */
    @Override
    public String name() {
        return name;
    }

    /** Number of images. */
    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int numClasses() {
        return classNames.size();
    }

    /** Human-readable class names, indexed by label. */
    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** A copy of all pixels, N x C x H x W, unsigned 8-bit (use {@code b & 0xFF}). */
    public byte[] pixels() {
        return pixels.clone();
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** The label of image {@code index}. */
    @Override
    public int label(int index) {
        return labels[index];
    }

    /** Image {@code index} as fresh floats in [0, 1]: each byte divided by 255, as {@code ToTensor}. */
    @Override
    public Sample sample(int index) {
        int size = sampleSize();
        int from = Objects.checkIndex(index, size()) * size;
        float[] values = new float[size];
        for (int k = 0; k < size; k++) {
            values[k] = (pixels[from + k] & 0xFF) / 255f;
        }
        return new Sample(values, channels, height, width);
    }

    /** Values per image: C x H x W. */
    int sampleSize() {
        return channels * height * width;
    }

    /** The images at the given indices, in that order (an index may repeat). */
    @Override
    public ImageSet subset(int[] indices) {
        int sample = sampleSize();
        byte[] p = new byte[Math.multiplyExact(indices.length, sample)];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int index = Objects.checkIndex(indices[i], size());
            System.arraycopy(pixels, index * sample, p, i * sample, sample);
            l[i] = labels[index];
        }
        return new ImageSet(name, p, l, channels, height, width, classNames, false);
    }

    /** The first {@code n} images, or this set if it has no more than {@code n}. */
    @Override
    public ImageSet limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + n);
        }
        if (n >= size()) {
            return this;
        }
        return new ImageSet(name, Arrays.copyOf(pixels, n * sampleSize()), Arrays.copyOf(labels, n),
                channels, height, width, classNames, false);
    }

    /**
     * Holds out a random {@code fraction} of the images for validation.
     *
     * <p>Which images are held out depends only on {@code seed} and the size, so a resumed run gets the
     * same split. Both parts keep the original order of their images.
     *
     * @param fraction share of images to hold out, in [0, 1]
     * @return {@code {train, validation}}
     */
    @Override
    public ImageSet[] split(double fraction, long seed) {
        int[][] parts = LabelledImages.splitIndices(size(), fraction, seed);
        return new ImageSet[] {subset(parts[0]), subset(parts[1])};
    }

    @Override
    public String toString() {
        return name + ": " + size() + " images " + channels + "x" + height + "x" + width + ", "
                + numClasses() + " classes";
    }
}
