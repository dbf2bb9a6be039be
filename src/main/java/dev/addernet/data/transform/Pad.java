package dev.addernet.data.transform;

import dev.addernet.data.Sample;
import dev.addernet.data.DataException;
import dev.addernet.data.LabelledImages;
import dev.addernet.tensor.Rng;

/**
 * Pads every side of an image with {@code padding} pixels of value 0, like torchvision's
 * {@code transforms.Pad(padding)}; used to feed 28x28 images to networks built for 32x32.
 *
 * <p>Since transforms run before normalisation, padded pixels come out as {@code (0 - mean) / std}.
 */
public record Pad(int padding) implements SampleTransform {

    public Pad {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0: " + padding);
        }
    }

    /**
     * The symmetric zero padding that brings the set's images to {@code size} x {@code size}, or the
     * identity for size 0: how LeNet-5 gets 32x32 inputs from 28x28 MNIST images.
     *
     * @throws DataException if the images are not square, larger than {@code size}, or differ from it
     *     by an odd number of pixels
     */
    public static SampleTransform toSize(LabelledImages set, int size) {
        if (size == 0) {
            return SampleTransform.identity();
        }
        int dh = size - set.height();
        int dw = size - set.width();
        if (set.height() <= 0 || dh < 0 || dh != dw || dh % 2 != 0) {
            throw new DataException(set.name() + ": cannot pad " + set.height() + "x" + set.width()
                    + " images symmetrically to " + size + "x" + size
                    + ", expected square images no larger than " + size + " with an even size difference");
        }
        return new Pad(dh / 2);
    }

    @Override
    public Sample apply(Sample sample, Rng random) {
        if (padding == 0) {
            return sample;
        }
        int h = sample.height() + 2 * padding;
        int w = sample.width() + 2 * padding;
        Sample out = new Sample(new float[sample.channels() * h * w], sample.channels(), h, w);
        for (int c = 0; c < sample.channels(); c++) {
            for (int y = 0; y < sample.height(); y++) {
                System.arraycopy(sample.values(), sample.index(c, y, 0),
                        out.values(), out.index(c, y + padding, padding), sample.width());
            }
        }
        return out;
    }
}
