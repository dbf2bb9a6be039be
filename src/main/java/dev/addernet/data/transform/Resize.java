package dev.addernet.data.transform;

import dev.addernet.data.Sample;
import dev.addernet.tensor.Rng;

/**
 * Resizes an image so that its shorter side becomes {@code size}, keeping the aspect ratio, like
 * torchvision's {@code Resize(size)} with an int size: the longer side becomes
 * {@code (int) (size * long / short)} (truncated, as torchvision), with antialiased bilinear
 * resampling ({@link Resample}). ImageNet evaluation resizes to 256 before its centre crop of 224.
 *
 * <p>The output shape depends on the input's aspect ratio, so a fixed-size crop must follow it
 * before images reach a batch.
 */
public record Resize(int size) implements SampleTransform {

    public Resize {
        if (size <= 0) {
            throw new IllegalArgumentException("resize target must be positive: " + size);
        }
    }

    @Override
    public Sample apply(Sample sample, Rng random) {
        int h = sample.height();
        int w = sample.width();
        int outH = h <= w ? size : (int) ((double) size * h / w);
        int outW = h <= w ? (int) ((double) size * w / h) : size;
        if (outH == h && outW == w) {
            return sample;
        }
        return Resample.resize(sample, 0, 0, h, w, outH, outW);
    }
}
