package dev.addernet.data.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes CIFAR binary files and tar.gz archives, byte for byte in their published formats, for tests. */
final class CifarFiles {

    private CifarFiles() {}

    /** Pixel (c, y, x) of record {@code i}: distinct enough to catch a wrong plane or row order. */
    static int pixel(int i, int c, int y, int x) {
        return (i * 13 + c * 85 + y * 7 + x * 3) & 0xFF;
    }

    /** CIFAR-10 records: one label byte, then the R, G and B planes of 32x32 pixels. */
    static byte[] cifar10(int... labels) {
        return records(labels, null);
    }

    /** CIFAR-100 records: a coarse label byte, a fine label byte, then the pixels. */
    static byte[] cifar100(int[] coarse, int[] fine) {
        return records(coarse, fine);
    }

    private static byte[] records(int[] first, int[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < first.length; i++) {
            out.write(first[i]);
            if (second != null) {
                out.write(second[i]);
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        out.write(pixel(i, c, y, x));
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /** The six CIFAR-10 files in {@code dir}: 2 records per training batch, 3 test records. */
    static void writeCifar10(Path dir) {
        for (int b = 1; b <= 5; b++) {
            write(dir.resolve("data_batch_" + b + ".bin"), cifar10(b - 1, b + 4));
        }
        write(dir.resolve("test_batch.bin"), cifar10(9, 0, 3));
    }

    /** The two CIFAR-100 files in {@code dir}: 4 training and 2 test records. */
    static void writeCifar100(Path dir) {
        write(dir.resolve("train.bin"), cifar100(new int[] {0, 19, 5, 7}, new int[] {0, 99, 50, 42}));
        write(dir.resolve("test.bin"), cifar100(new int[] {3, 4}, new int[] {10, 11}));
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A gzipped ustar archive of the given files (name to content, in map order), as GNU tar writes
     * it: names over 100 bytes get a preceding {@code ././@LongLink} entry of type {@code L}.
     */
    static byte[] tarGz(Map<String, byte[]> files) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            byte[] name = file.getKey().getBytes(StandardCharsets.UTF_8);
            char type = file.getKey().endsWith("/") ? '5' : '0';
            if (name.length > 100) {
                entry(tar, "././@LongLink", 'L', concat(name, new byte[1]));
            }
            entry(tar, file.getKey(), type, file.getValue());
        }
        tar.writeBytes(new byte[1024]); // end marker: two zero blocks
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gz.toByteArray();
    }

    private static void entry(ByteArrayOutputStream tar, String name, char type, byte[] content) {
        byte[] header = new byte[512];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(nameBytes, 0, header, 0, Math.min(100, nameBytes.length));
        put(header, 100, String.format("%07o", type == '5' ? 0755 : 0644));
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, "00000000000");
        header[156] = (byte) type;
        put(header, 257, "ustar");
        put(header, 263, "00");
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xFF;
        }
        put(header, 148, String.format("%06o", sum));
        header[155] = ' ';
        tar.writeBytes(header);
        tar.writeBytes(content);
        tar.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
        if (offset + bytes.length < header.length) {
            header[offset + bytes.length] = 0;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
