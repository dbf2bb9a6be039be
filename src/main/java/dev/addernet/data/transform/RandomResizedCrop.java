package dev.addernet.data.transform;

import dev.addernet.data.Sample;
import dev.addernet.tensor.Rng;

/**
 * Cuts a random window of random area and aspect ratio and resizes it to {@code size} x {@code size},
 * like torchvision's {@code RandomResizedCrop(size, scale=(0.08, 1), ratio=(3/4, 4/3))}: the ImageNet
 * training augmentation.
 *
 * <p>The draws follow torchvision's {@code get_params}: up to ten tries of an area fraction uniform in
 * {@code [minScale, maxScale]} and an aspect ratio (width / height) log-uniform in
 * {@code [minRatio, maxRatio]}; the window's sides are {@code round(sqrt(area * ratio))} and
 * {@code round(sqrt(area / ratio))} (half to even); the first window that fits gets a uniformly random
 * position (row, then column). If none fits, the largest central window with a ratio inside the range
 * is used. The window is then resized with antialiased bilinear resampling ({@link Resample}).
 */
public record RandomResizedCrop(int size, double minScale, double maxScale, double minRatio, double maxRatio)
        implements SampleTransform {

    /** Tries before falling back to a central window, as torchvision. */
    private static final int TRIES = 10;

    public RandomResizedCrop {
        if (size <= 0 || !(minScale > 0 && minScale <= maxScale && maxScale <= 1)
                || !(minRatio > 0 && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("random resized crop needs size > 0, 0 < minScale <= maxScale <= 1"
                    + " and 0 < minRatio <= maxRatio, got " + size + ", " + minScale + ", " + maxScale + ", "
                    + minRatio + ", " + maxRatio);
        }
    }

    /** The ImageNet defaults: area 8% to 100% of the image, aspect ratio 3/4 to 4/3. */
    public RandomResizedCrop(int size) {
        this(size, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    }

    /** A window of the image: top-left corner and size. */
    record Window(int top, int left, int height, int width) {}

    @Override
    public Sample apply(Sample sample, Rng random) {
        Window w = window(sample.height(), sample.width(), random);
        return Resample.resize(sample, w.top(), w.left(), w.height(), w.width(), size, size);
    }

    /** The window cut from a {@code height} x {@code width} image (torchvision's {@code get_params}). */
    Window window(int height, int width, Rng random) {
        double area = (double) height * width;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int t = 0; t < TRIES; t++) {
            double target = area * (minScale + (maxScale - minScale) * random.nextDouble());
            double ratio = Math.exp(logMin + (logMax - logMin) * random.nextDouble());
            int w = (int) Math.rint(Math.sqrt(target * ratio));
            int h = (int) Math.rint(Math.sqrt(target / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int top = random.nextIntLemire(height - h + 1);
                int left = random.nextIntLemire(width - w + 1);
                return new Window(top, left, h, w);
            }
        }
        // fallback: the whole image, trimmed to the nearest allowed aspect ratio, centred
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < minRatio) {
            h = (int) Math.rint(width / minRatio);
        } else if (inRatio > maxRatio) {
            w = (int) Math.rint(height * maxRatio);
        }
        return new Window((height - h) / 2, (width - w) / 2, h, w);
    }
}
