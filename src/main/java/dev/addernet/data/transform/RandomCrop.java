package dev.addernet.data.transform;

import dev.addernet.data.Sample;
import dev.addernet.tensor.Rng;

/**
 * Zero-pads each side by {@code padding} pixels, then cuts a {@code size} x {@code size} window at a
 * uniformly random position, like torchvision's {@code RandomCrop(size, padding=padding)}: the CIFAR
 * augmentation {@code RandomCrop(32, padding=4)} shifts an image by -4..4 pixels each way, filling
 * with black.
 *
 * <p>The row offset is drawn first, then the column offset, each as {@code nextIntLemire(extent - size + 1)}
 * (torchvision's two {@code randint} calls). The padded image is never built: each output pixel is
 * read from the input or is 0.
 */
public record RandomCrop(int size, int padding) implements SampleTransform {

    public RandomCrop {
        if (size <= 0 || padding < 0) {
            throw new IllegalArgumentException("random crop needs a positive size and padding >= 0, got size "
                    + size + ", padding " + padding);
        }
    }

    @Override
    public Sample apply(Sample sample, Rng random) {
        int h = sample.height() + 2 * padding;
        int w = sample.width() + 2 * padding;
        if (h < size || w < size) {
            throw new IllegalArgumentException("cannot crop " + size + "x" + size + " from a " + sample.height()
                    + "x" + sample.width() + " image padded by " + padding);
        }
        // offsets of the window in input coordinates, in [-padding, extent - size + padding]
        int top = random.nextIntLemire(h - size + 1) - padding;
        int left = random.nextIntLemire(w - size + 1) - padding;
        return crop(sample, top, left, size, size);
    }

    /**
     * The {@code height} x {@code width} window whose top-left corner is input pixel ({@code top},
     * {@code left}); pixels outside the input are 0.
     */
    static Sample crop(Sample in, int top, int left, int height, int width) {
        float[] out = new float[in.channels() * height * width];
        // the part of each output row that lies inside the input
        int x0 = Math.max(0, -left);
        int x1 = Math.min(width, in.width() - left);
        for (int c = 0; c < in.channels(); c++) {
            for (int y = 0; y < height; y++) {
                int sy = y + top;
                if (sy >= 0 && sy < in.height() && x1 > x0) {
                    System.arraycopy(in.values(), in.index(c, sy, left + x0),
                            out, (c * height + y) * width + x0, x1 - x0);
                }
            }
        }
        return new Sample(out, in.channels(), height, width);
    }
}
