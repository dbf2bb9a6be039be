package dev.addernet.data.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a small synthetic dataset in the exact CIFAR-10 binary format, with a rule a network can
 * learn in a few epochs: each image is noise with one 8x8 square whose position (one of ten cells of
 * a 4x4 grid) and colour (one of ten, jittered) are decided by the class. A test can train ResNet-20
 * on it through {@code --dataset cifar10 --data-dir DIR} and expect accuracy far above chance.
 */
public final class SyntheticCifar {

    /** Square colours by class: distinct in hue and brightness. */
    private static final int[][] COLOURS = {
        {230, 30, 30}, {30, 230, 30}, {30, 30, 230}, {230, 230, 30}, {230, 30, 230},
        {30, 230, 230}, {250, 250, 250}, {170, 100, 40}, {250, 140, 0}, {120, 0, 200},
    };

    private SyntheticCifar() {}

    /**
     * Writes {@code data_batch_1.bin} .. {@code data_batch_5.bin} (the {@code train} images split as
     * evenly as possible), {@code test_batch.bin} and {@code batches.meta.txt} into {@code dir}.
     *
     * @param train number of training images, at least 5 (one per batch file)
     * @param test number of test images, at least 1
     * @param seed seed of the labels, the colour jitter and the noise
     * @return {@code dir}
     */
    public static Path write(Path dir, int train, int test, long seed) {
        if (train < 5 || test < 1) {
            throw new IllegalArgumentException("need at least 5 training and 1 test image, got " + train + " and " + test);
        }
        SplittableRandom random = new SplittableRandom(seed);
        try {
            Files.createDirectories(dir);
            for (int b = 0; b < 5; b++) {
                int count = train * (b + 1) / 5 - train * b / 5;
                Files.write(dir.resolve("data_batch_" + (b + 1) + ".bin"), records(count, random));
            }
            Files.write(dir.resolve("test_batch.bin"), records(test, random));
            Files.writeString(dir.resolve("batches.meta.txt"),
                    String.join("\n", ImageFolderDataset.CIFAR10_CLASSES) + "\n\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static byte[] records(int count, SplittableRandom random) {
        byte[] out = new byte[count * 3073];
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(10);
            int top = label / 4 * 8;
            int left = label % 4 * 8;
            int base = i * 3073;
            out[base] = (byte) label;
            for (int c = 0; c < 3; c++) {
                int colour = COLOURS[label][c] + random.nextInt(-20, 21);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        boolean square = y >= top && y < top + 8 && x >= left && x < left + 8;
                        int value = square ? colour + random.nextInt(-10, 11) : random.nextInt(0, 110);
                        out[base + 1 + c * 1024 + y * 32 + x] = (byte) Math.clamp(value, 0, 255);
                    }
                }
            }
        }
        return out;
    }
}
