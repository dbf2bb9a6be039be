package dev.addernet.train;

import dev.addernet.tensor.Rng;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a small MNIST-format data set (the four IDX files) with a learnable rule: an image of class c
 * is noise plus a bright 6x6 square at a position that depends on c.
 */
public final class SyntheticIdx {
    private SyntheticIdx() {}

    public static Path write(Path dir, int train, int test, long seed) throws IOException {
        Files.createDirectories(dir);
        Rng rng = new Rng(seed);
        writeSet(dir, "train", train, rng);
        writeSet(dir, "t10k", test, rng);
        return dir;
    }

    private static void writeSet(Path dir, String prefix, int n, Rng rng) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + n * 28 * 28).putInt(0x803).putInt(n).putInt(28).putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(10);
            int oy = 2 + (c / 5) * 12 + rng.nextInt(3), ox = 2 + (c % 5) * 4 + rng.nextInt(2);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean on = y >= oy && y < oy + 6 && x >= ox && x < ox + 6;
                    images.put((byte) (on ? 180 + rng.nextInt(70) : rng.nextInt(90)));
                }
            }
            labels.put((byte) c);
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }
}
