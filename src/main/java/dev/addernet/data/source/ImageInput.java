package dev.addernet.data.source;

import dev.addernet.data.Normalization;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * Turns a decoded picture into one network input, [channels, size, size] normalised, the way training
 * prepared its images: pixel values scaled to [0, 1]; grey or RGB as the network takes (grey from colour
 * by the ITU-R 601 luma weights, as PIL's {@code convert("L")}; RGB from grey by repeating it; alpha
 * ignored); a picture of the training images' size zero-padded to the input size as in training (28x28
 * MNIST-style images to 32x32), any other size resized; then {@code (x - mean) / std} per channel.
 *
 * <p>Resizing is bilinear, separable, with pixel centres at half-integers; when shrinking, the triangle
 * filter is widened by the scale factor (as PIL's and torchvision's antialiased bilinear), so a large
 * photo is averaged down rather than sampled at a few points. A non-square picture is stretched to a
 * square.
 */
public final class ImageInput {

    /**
     * A prepared input.
     *
     * @param values [channels, size, size] in row-major order, normalised
     * @param note   what was done to fit the network, e.g. {@code resized 640x480 -> 32x32 (bilinear)}; empty
     *               if the picture fitted as it was
     */
    public record Prepared(float[] values, String note) {}

    private ImageInput() {}

    /**
     * Reads and decodes a PNG or JPEG file with the decoder training uses ({@link ImageDecoder}), then
     * prepares it as {@link #prepare(BufferedImage, int, int, int, Normalization)} does.
     *
     * @throws DataException naming the file if it cannot be read or decoded
     */
    public static Prepared read(Path file, int channels, int size, int padFrom, Normalization norm) {
        return prepare(ImageDecoder.decode(file), channels, size, padFrom, norm);
    }

    /**
     * @param padFrom the training images' size when they were zero-padded up to {@code size}, else 0
     */
    public static Prepared prepare(BufferedImage image, int channels, int size, int padFrom, Normalization norm) {
        // Converted as the decoder converts a file, so a picture gives the same tensor however it arrived.
        return prepare(ImageDecoder.toRgb(image), channels, size, padFrom, norm);
    }

    private static Prepared prepare(ImageDecoder.Image image, int channels, int size, int padFrom, Normalization norm) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("pictures become 1 or 3 channels, not " + channels);
        if (norm.channels() != channels) {
            throw new IllegalArgumentException("normalisation has " + norm.channels() + " channels, the network takes " + channels);
        }
        int w = image.width(), h = image.height();
        float[] planes = channels == 1 ? grey(image) : image.toSample().values();
        String note = "";
        if (w == size && h == size) {
            // fits as is
        } else if (w == padFrom && h == padFrom && padFrom < size && (size - padFrom) % 2 == 0) {
            planes = pad(planes, channels, padFrom, (size - padFrom) / 2);
            note = "zero-padded " + w + "x" + h + " -> " + size + "x" + size + " (as in training)";
        } else {
            planes = resize(planes, channels, w, h, size);
            note = "resized " + w + "x" + h + " -> " + size + "x" + size + " (bilinear)";
        }
        int area = size * size;
        for (int c = 0; c < channels; c++) {
            float mean = norm.mean(c), std = norm.std(c);
            for (int i = c * area; i < (c + 1) * area; i++) planes[i] = (planes[i] - mean) / std;
        }
        return new Prepared(planes, note);
    }

    // A grey file's level as stored (all three planes hold it); colour by the ITU-R 601 luma weights.
    private static float[] grey(ImageDecoder.Image image) {
        int area = image.width() * image.height();
        byte[] rgb = image.rgb();
        float[] out = new float[area];
        for (int i = 0; i < area; i++) {
            int r = rgb[i] & 0xff, g = rgb[area + i] & 0xff, b = rgb[2 * area + i] & 0xff;
            out[i] = image.sourceChannels() == 1 ? r / 255f : (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
        }
        return out;
    }

    private static float[] pad(float[] planes, int channels, int from, int border) {
        int to = from + 2 * border;
        float[] out = new float[channels * to * to];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < from; y++) {
                System.arraycopy(planes, (c * from + y) * from, out, (c * to + y + border) * to + border, from);
            }
        }
        return out;
    }

    /** Each channel of [channels, h, w] resized to [size, size]: first along x, then along y. */
    static float[] resize(float[] planes, int channels, int w, int h, int size) {
        Taps xs = taps(w, size), ys = taps(h, size);
        float[] out = new float[channels * size * size];
        float[] rows = new float[h * size];
        for (int c = 0; c < channels; c++) {
            int in = c * w * h;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < size; x++) rows[y * size + x] = xs.apply(planes, in + y * w, 1, x);
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) out[(c * size + y) * size + x] = ys.apply(rows, x, size, y);
            }
        }
        return out;
    }

    /** For each output position, the first input index and the normalised weights of the inputs it mixes. */
    private record Taps(int[] first, float[][] weights) {
        float apply(float[] src, int base, int step, int o) {
            float sum = 0;
            float[] wt = weights[o];
            for (int k = 0; k < wt.length; k++) sum += wt[k] * src[base + (first[o] + k) * step];
            return sum;
        }
    }

    private static Taps taps(int in, int out) {
        double scale = (double) in / out, support = Math.max(scale, 1.0);
        int[] first = new int[out];
        float[][] weights = new float[out][];
        for (int o = 0; o < out; o++) {
            double centre = (o + 0.5) * scale; // in input coordinates, where pixel j covers [j, j + 1)
            int lo = Math.max(0, (int) Math.floor(centre - support)), hi = Math.min(in - 1, (int) Math.ceil(centre + support));
            double[] wt = new double[hi - lo + 1];
            double total = 0;
            for (int j = lo; j <= hi; j++) {
                wt[j - lo] = Math.max(0, 1 - Math.abs(j + 0.5 - centre) / support);
                total += wt[j - lo];
            }
            first[o] = lo;
            weights[o] = new float[wt.length];
            // Near the border part of the filter falls outside the picture; renormalising keeps the brightness.
            for (int k = 0; k < wt.length; k++) weights[o][k] = (float) (wt[k] / total);
        }
        return new Taps(first, weights);
    }
}
