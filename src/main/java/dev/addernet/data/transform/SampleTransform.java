package dev.addernet.data.transform;

import dev.addernet.data.Sample;
import dev.addernet.tensor.Rng;

/**
 * A per-image transform applied by {@link BatchLoader} before normalisation, such as padding or (for
 * augmentation) a random crop or flip. Working before normalisation matches torchvision, where these
 * transforms act on the image and {@code ToTensor} + {@code Normalize} come last: a zero-padded pixel
 * is black, and ends up as {@code (0 - mean) / std}.
 *
 * <p>Contract:
 * <ul>
 *   <li>the output shape depends only on the input shape, never on the random draws, so that every
 *       image of a batch has the same shape;</li>
 *   <li>all randomness comes from {@code random}, which is derived from (seed, epoch, sample index):
 *       an image gets the same augmentation in an interrupted-and-resumed run as in an uninterrupted
 *       one, whichever thread or batch it lands in.</li>
 * </ul>
 */
@FunctionalInterface
public interface SampleTransform {

    /**
     * Transforms one image.
     *
     * @param sample values in [0, 1]; may be modified in place and returned
     * @param random the random source for this image in this epoch
     */
    Sample apply(Sample sample, Rng random);

    /** This transform followed by {@code next}, sharing the same random source. */
    default SampleTransform andThen(SampleTransform next) {
        return (sample, random) -> next.apply(apply(sample, random), random);
    }

    /** The transform that returns its input unchanged. */
    static SampleTransform identity() {
        return (sample, random) -> sample;
    }
}
