package dev.addernet.data.source;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small JPEG and PNG files for image folder tests. */
final class ImageFiles {

    private ImageFiles() {}

    /** Value of channel c at (y, x) in image {@code id}: distinct per channel and position. */
    static int value(int id, int c, int y, int x) {
        return (id * 29 + c * 80 + y * 11 + x * 5) & 0xFF;
    }

    /** An RGB image with {@link #value} pixels. */
    static BufferedImage rgb(int id, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, value(id, 0, y, x) << 16 | value(id, 1, y, x) << 8 | value(id, 2, y, x));
            }
        }
        return image;
    }

    /** A grey image whose pixels are {@code value(id, 0, y, x)}. */
    static BufferedImage grey(int id, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, value(id, 0, y, x));
            }
        }
        return image;
    }

    /** Writes {@code image} as {@code format} ("png" or "jpeg"), creating folders. */
    static Path write(Path file, BufferedImage image, String format) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no " + format + " writer");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A CIFAR-10-like tree under {@code root}: {@code perClass} 32x32 RGB JPEGs per class in train/,
     * one per class in test/.
     */
    static void cifarTree(Path root, int perClass) {
        int id = 0;
        for (String name : ImageFolderDataset.CIFAR10_CLASSES) {
            for (int i = 0; i < perClass; i++) {
                write(root.resolve("train").resolve(name).resolve(String.format("%04d.jpg", i)), rgb(id++, 32, 32), "jpeg");
            }
            write(root.resolve("test").resolve(name).resolve("0000.jpg"), rgb(id++, 32, 32), "jpeg");
        }
    }
}
