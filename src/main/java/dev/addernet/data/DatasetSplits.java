package dev.addernet.data;

import dev.addernet.data.transform.SampleTransform;
import java.util.Objects;

/**
 * A dataset as shipped: its training and test sets, the normalisation conventionally used with it,
 * and its per-image transforms: the augmentation for training and the preprocessing for evaluation
 * (both run before normalisation, see {@link BatchLoader}).
 *
 * <p>A trainer builds its loaders as
 * {@code new BatchLoader(splits.trainImages(), batch, true, seed, epoch, splits.norm(), splits.trainTransform(), false)}
 * and {@code new BatchLoader(splits.testImages(), batch, false, 0, 0, splits.norm(), splits.evalTransform(), false)}.
 *
 * @param trainImages the training set; in memory, or read lazily from disk for large sets (ImageNet)
 * @param testImages the test set
 * @param norm per-channel normalisation applied after the transforms
 * @param trainTransform augmentation for training (e.g. CIFAR's random crop and flip)
 * @param evalTransform preprocessing for evaluation (e.g. ImageNet's resize and centre crop)
 */
public record DatasetSplits(LabelledImages trainImages, LabelledImages testImages, Normalization norm,
        SampleTransform trainTransform, SampleTransform evalTransform) {

    public DatasetSplits {
        Objects.requireNonNull(trainImages, "trainImages");
        Objects.requireNonNull(testImages, "testImages");
        Objects.requireNonNull(norm, "norm");
        Objects.requireNonNull(trainTransform, "trainTransform");
        Objects.requireNonNull(evalTransform, "evalTransform");
    }

    /** In-memory sets used as they are (MNIST-like data): both transforms are the identity. */
    public DatasetSplits(ImageSet train, ImageSet test, Normalization norm) {
        this(train, test, norm, SampleTransform.identity(), SampleTransform.identity());
    }

    /**
     * The training set as an in-memory {@link ImageSet}, for code written before lazily read sets.
     *
     * @throws DataException if the training set is read lazily from disk; use {@link #trainImages()}
     */
    public ImageSet train() {
        return inMemory(trainImages);
    }

    /**
     * The test set as an in-memory {@link ImageSet}, for code written before lazily read sets.
     *
     * @throws DataException if the test set is read lazily from disk; use {@link #testImages()}
     */
    public ImageSet test() {
        return inMemory(testImages);
    }

    private static ImageSet inMemory(LabelledImages set) {
        if (set instanceof ImageSet images) {
            return images;
        }
        throw new DataException(set.name() + " is read lazily from disk, not held in memory;"
                + " read it through DatasetSplits.trainImages()/testImages() as LabelledImages");
    }
}
