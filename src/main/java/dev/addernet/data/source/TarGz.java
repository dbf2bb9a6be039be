package dev.addernet.data.source;

import dev.addernet.data.DataException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Extracts a gzipped tar archive ({@code .tar.gz}), enough of the format for dataset archives: POSIX
 * ustar and old GNU headers, regular files and folders, GNU long names ({@code L} entries). Links and
 * pax headers are skipped. Every header's checksum is verified, and no entry may point outside the
 * target folder.
 */
final class TarGz {

    private static final int BLOCK = 512;

    private TarGz() {}

    /**
     * Extracts {@code archive} into {@code target} (created if needed).
     *
     * @throws DataException naming the archive if it is not gzip, not tar, truncated, or has an entry
     *     that would escape {@code target}
     * @throws IOException if a file cannot be written
     */
    static void extract(Path archive, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (true) {
                if (in.readNBytes(header, 0, BLOCK) < BLOCK) {
                    throw new DataException(archive + ": tar archive ends without its end marker, expected"
                            + " two zero blocks (truncated download?)");
                }
                if (isZero(header)) {
                    return; // end of archive
                }
                checkSum(archive, header);
                String name = longName != null ? longName : name(header);
                longName = null;
                long size = octal(archive, header, 124, 12, "size");
                char type = (char) header[156];
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                switch (type) {
                    case 'L' -> {
                        longName = trimNul(new String(readExactly(archive, in, size, name), StandardCharsets.UTF_8));
                        skip(archive, in, padded - size, name);
                    }
                    case '0', '\0', '7' -> {
                        Path file = inside(archive, root, name);
                        Files.createDirectories(file.getParent());
                        try (OutputStream out = Files.newOutputStream(file)) {
                            copy(archive, in, out, size, name);
                        }
                        skip(archive, in, padded - size, name);
                    }
                    case '5' -> Files.createDirectories(inside(archive, root, name));
                    default -> skip(archive, in, padded, name); // links, pax headers, devices
                }
            }
        } catch (ZipException e) {
            throw new DataException(archive + ": not a valid gzip file (" + e.getMessage() + "), expected a .tar.gz archive", e);
        } catch (EOFException e) {
            throw new DataException(archive + ": gzip stream ends early (truncated download?)", e);
        }
    }

    /** The entry name: ustar prefix + "/" + name when the prefix field is used. */
    private static String name(byte[] header) {
        String name = field(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The place of entry {@code name} under {@code root}; refuses names that would leave it. */
    private static Path inside(Path archive, Path root, String name) {
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root)) {
            throw new DataException(archive + ": tar entry '" + name + "' would be written outside "
                    + root + ", expected relative paths inside the archive's folder");
        }
        return path;
    }

    private static void checkSum(Path archive, byte[] header) {
        long expected = octal(archive, header, 148, 8, "checksum");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xFF; // the field counts as spaces
        }
        if (sum != expected) {
            throw new DataException(archive + ": tar header checksum " + sum + ", expected " + expected
                    + " (not a tar archive, or corrupt)");
        }
    }

    /** A NUL- or space-terminated octal number field. */
    private static long octal(Path archive, byte[] header, int offset, int length, String what) {
        String text = field(header, offset, length).trim();
        try {
            return text.isEmpty() ? 0 : Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new DataException(archive + ": tar header " + what + " field '" + text
                    + "' is not an octal number (not a tar archive, or corrupt)");
        }
    }

    private static String field(byte[] header, int offset, int length) {
        return trimNul(new String(header, offset, length, StandardCharsets.UTF_8));
    }

    private static String trimNul(String s) {
        int end = s.indexOf('\0');
        return end < 0 ? s : s.substring(0, end);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readExactly(Path archive, InputStream in, long size, String name) throws IOException {
        if (size > 1 << 20) {
            throw new DataException(archive + ": tar long-name entry of " + size + " bytes, expected a path");
        }
        byte[] bytes = in.readNBytes((int) size);
        if (bytes.length < size) {
            throw truncated(archive, name);
        }
        return bytes;
    }

    private static void copy(Path archive, InputStream in, OutputStream out, long size, String name) throws IOException {
        byte[] buffer = new byte[1 << 16];
        for (long left = size; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw truncated(archive, name);
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void skip(Path archive, InputStream in, long bytes, String name) throws IOException {
        try {
            in.skipNBytes(bytes);
        } catch (EOFException e) {
            throw truncated(archive, name);
        }
    }

    private static DataException truncated(Path archive, String name) {
        return new DataException(archive + ": tar entry '" + name + "' is cut short (truncated download?)");
    }
}
