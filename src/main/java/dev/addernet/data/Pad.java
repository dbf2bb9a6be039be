package dev.addernet.data;

import java.util.random.RandomGenerator;

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

    @Override
    public Sample apply(Sample sample, RandomGenerator random) {
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
