package dev.addernet.data.transform;

import dev.addernet.data.Sample;
import dev.addernet.tensor.Rng;

/**
 * Cuts the central {@code size} x {@code size} window, like torchvision's {@code CenterCrop(size)}:
 * the window starts at {@code round((h - size) / 2)} (Python's round, half to even); an image
 * smaller than the window is zero-padded around it first, as torchvision does.
 */
public record CenterCrop(int size) implements SampleTransform {

    public CenterCrop {
        if (size <= 0) {
            throw new IllegalArgumentException("crop size must be positive: " + size);
        }
    }

    @Override
    public Sample apply(Sample sample, Rng random) {
        if (sample.height() == size && sample.width() == size) {
            return sample;
        }
        return RandomCrop.crop(sample, start(sample.height()), start(sample.width()), size, size);
    }

    /** Offset of the window along an axis of {@code extent} pixels; negative when padding is needed. */
    private int start(int extent) {
        if (extent >= size) {
            return (int) Math.rint((extent - size) / 2.0);
        }
        return -((size - extent) / 2); // torchvision pads (size - extent) / 2 before, the rest after
    }
}
