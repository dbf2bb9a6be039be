package dev.addernet.data.transform;

import dev.addernet.data.Sample;


/**
 * Antialiased bilinear resizing, the algorithm of Pillow's {@code Image.resize(size, BILINEAR)} that
 * torchvision's {@code Resize} and {@code RandomResizedCrop} use on PIL images: separable, horizontal
 * pass then vertical, with a triangle filter whose support widens by the downscaling factor, so that
 * shrinking averages over every input pixel instead of skipping some (plain bilinear interpolation
 * would alias).
 */
final class Resample {

    private Resample() {}

    /**
     * Resizes the {@code boxHeight} x {@code boxWidth} window at ({@code top}, {@code left}) of
     * {@code in} to {@code height} x {@code width}; the window must lie inside the image. Only the
     * window is read, as when torchvision crops before it resizes.
     */
    static Sample resize(Sample in, int top, int left, int boxHeight, int boxWidth, int height, int width) {
        if (top < 0 || left < 0 || boxHeight <= 0 || boxWidth <= 0
                || top + boxHeight > in.height() || left + boxWidth > in.width() || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("cannot resize the " + boxHeight + "x" + boxWidth + " window at ("
                    + top + ", " + left + ") of a " + in.height() + "x" + in.width() + " image to " + height + "x" + width);
        }
        int channels = in.channels();
        // horizontal pass: boxHeight rows of the window, each resampled to width values
        float[] rows = new float[channels * boxHeight * width];
        Filter fx = new Filter(boxWidth, width);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < boxHeight; y++) {
                int src = in.index(c, top + y, left);
                int dst = (c * boxHeight + y) * width;
                for (int x = 0; x < width; x++) {
                    rows[dst + x] = fx.apply(in.values(), src, 1, x);
                }
            }
        }
        // vertical pass: each column of the intermediate image resampled to height values
        float[] out = new float[channels * height * width];
        Filter fy = new Filter(boxHeight, height);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[(c * height + y) * width + x] = fy.apply(rows, c * boxHeight * width + x, width, y);
                }
            }
        }
        return new Sample(out, channels, height, width);
    }

    /**
     * The weights of each output position along one axis (Pillow's {@code precompute_coeffs} with the
     * bilinear filter, support 1): output o is centred at input coordinate {@code (o + 0.5) * scale}
     * and averages the inputs within {@code max(scale, 1)} of it, weighted by a triangle.
     */
    private static final class Filter {
        private final int[] first;
        private final float[][] weights;

        Filter(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;
            first = new int[outSize];
            weights = new float[outSize][];
            for (int o = 0; o < outSize; o++) {
                double center = (o + 0.5) * scale;
                // (int) truncates toward zero, as the C original does
                int min = Math.max((int) (center - support + 0.5), 0);
                int count = Math.min((int) (center + support + 0.5), inSize) - min;
                double[] w = new double[count];
                double total = 0;
                for (int k = 0; k < count; k++) {
                    w[k] = triangle((k + min - center + 0.5) / filterScale);
                    total += w[k];
                }
                weights[o] = new float[count];
                for (int k = 0; k < count; k++) {
                    weights[o][k] = (float) (total != 0 ? w[k] / total : 0);
                }
                first[o] = min;
            }
        }

        /** Output {@code o} from the values at {@code base + i * stride}, i = 0..inSize-1. */
        float apply(float[] values, int base, int stride, int o) {
            float[] w = weights[o];
            int p = base + first[o] * stride;
            float sum = 0;
            for (int k = 0; k < w.length; k++, p += stride) {
                sum += w[k] * values[p];
            }
            return sum;
        }

        private static double triangle(double x) {
            x = Math.abs(x);
            return x < 1 ? 1 - x : 0;
        }
    }
}
