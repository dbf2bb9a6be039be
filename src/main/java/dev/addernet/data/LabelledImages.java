package dev.addernet.data;

import dev.addernet.tensor.Rng;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A labelled collection of images that {@link BatchLoader} can read by index: either held in memory
 * ({@link ImageSet}) or decoded from files on demand ({@link ImageFolder}, for sets such as ImageNet
 * that do not fit in memory).
 *
 * <p>Implementations are immutable and safe to read from several threads at once: the loader
 * decodes lazily read images on background threads.
 */
public interface LabelledImages {

    /** Dataset name, for messages and logs (e.g. {@code cifar10/train}). */
    String name();

    /** Number of images. */
    int size();

    /** The label of image {@code index}, in [0, numClasses()). */
    int label(int index);

    /**
     * Image {@code index} as fresh float values in [0, 1] (torchvision's {@code ToTensor}), which the
     * caller may modify.
     *
     * @throws DataException if the image cannot be read or decoded; the message names its file
     */
    Sample sample(int index);

    /** Human-readable class names, indexed by label. */
    List<String> classNames();

    /** Number of classes. */
    default int numClasses() {
        return classNames().size();
    }

    /** Channels of every image. */
    int channels();

    /** Height of every image, or 0 if the images differ in size (then a transform must fix one). */
    int height();

    /** Width of every image, or 0 if the images differ in size (then a transform must fix one). */
    int width();

    /**
     * Whether reading an image is cheap (a copy from memory) rather than a file read and decode; the
     * loader decodes sets that are not in memory on several threads.
     */
    default boolean inMemory() {
        return true;
    }

    /** The images at the given indices, in that order (an index may repeat). */
    LabelledImages subset(int[] indices);

    /** The first {@code n} images, or this set if it has no more than {@code n}. */
    default LabelledImages limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + n);
        }
        return n >= size() ? this : subset(IntStream.range(0, n).toArray());
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
    default LabelledImages[] split(double fraction, long seed) {
        int[][] parts = splitIndices(size(), fraction, seed);
        return new LabelledImages[] {subset(parts[0]), subset(parts[1])};
    }

    /** The indices of {@link #split}: {@code {train, validation}}, each sorted. */
    static int[][] splitIndices(int size, double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1]: " + fraction);
        }
        int held = (int) Math.round(fraction * size);
        int[] order = Rng.of(seed).permutation(size);
        int[] val = Arrays.copyOfRange(order, 0, held);
        int[] train = Arrays.copyOfRange(order, held, order.length);
        Arrays.sort(val);
        Arrays.sort(train);
        return new int[][] {train, val};
    }
}
