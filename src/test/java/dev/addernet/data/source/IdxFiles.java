package dev.addernet.data.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files byte for byte as the format specifies, for tests. */
final class IdxFiles {

    static final int IMAGES = 0x00000803;
    static final int LABELS = 0x00000801;

    private IdxFiles() {}

    /** Big-endian magic, big-endian dimensions, then the values. */
    static byte[] idx(int magic, int[] dims, byte[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        buffer.putInt(magic);
        for (int d : dims) {
            buffer.putInt(d);
        }
        return buffer.put(values).array();
    }

    /** {@code n} images of {@code h x w} whose pixel (i, y, x) is {@code (7 * i + 3 * y + x) % 256}. */
    static byte[] images(int n, int h, int w) {
        byte[] pixels = new byte[n * h * w];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    pixels[(i * h + y) * w + x] = (byte) pixel(i, y, x);
                }
            }
        }
        return idx(IMAGES, new int[] {n, h, w}, pixels);
    }

    static int pixel(int i, int y, int x) {
        return (7 * i + 3 * y + x) % 256;
    }

    /** Labels {@code i % classes}. */
    static byte[] labels(int n, int classes) {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % classes);
        }
        return idx(LABELS, new int[] {n}, labels);
    }

    static Path write(Path file, byte[] content, boolean gzip) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, gzip ? gzip(content) : content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] content) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
                out.write(content);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
