package dev.addernet.data.source;

import dev.addernet.data.DataException;
import dev.addernet.data.ImageSet;
import dev.addernet.io.HeapLimit;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reader for IDX files, the format of MNIST and Fashion-MNIST: a big-endian magic number
 * {@code 0x0000TTRR} (type TT = 0x08 for unsigned bytes, RR = number of dimensions), one 32-bit
 * big-endian size per dimension, then the values in row-major order.
 *
 * <p>Files may be gzip-compressed or plain; compression is detected from the content (the gzip magic
 * {@code 1f 8b}), not from the file name, because mirrors and packages name them inconsistently.
 */
public final class Idx {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private Idx() {}

    /**
     * Reads an image file (magic {@code 0x00000803}, dimensions N, H, W) and its label file (magic
     * {@code 0x00000801}, dimension N) into a single-channel {@link ImageSet}.
     *
     * @param name dataset name given to the set
     * @param classNames class names; every label must be in [0, classNames.size())
     * @throws DataException naming the offending file if either file is missing, malformed or
     *     truncated, if the counts disagree, or if a label is out of range
     */
    public static ImageSet read(String name, Path images, Path labels, List<String> classNames) {
        Tensor img = readTensor(images, IMAGES_MAGIC, "IDX unsigned-byte images");
        Tensor lab = readTensor(labels, LABELS_MAGIC, "IDX unsigned-byte labels");
        int count = img.dims[0];
        if (lab.dims[0] != count) {
            throw new DataException(images + " has " + count + " images but " + labels + " has "
                    + lab.dims[0] + " labels, expected the same count");
        }
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            classes[i] = lab.data[i] & 0xFF;
            if (classes[i] >= classNames.size()) {
                throw new DataException(labels + ": label " + classes[i] + " at index " + i
                        + " is out of range, expected [0," + classNames.size() + ")");
            }
        }
        return ImageSet.wrap(name, img.data, classes, 1, img.dims[1], img.dims[2], classNames);
    }

    /** The sizes and raw values of one IDX file. */
    private record Tensor(int[] dims, byte[] data) {}

    private static Tensor readTensor(Path file, int magic, String kind) {
        try (InputStream in = open(file)) {
            byte[] magicBytes = new byte[4];
            int got = readFully(in, magicBytes);
            if (got < 4) {
                throw truncated(file, in, 4, got, "the magic number");
            }
            int found = ByteBuffer.wrap(magicBytes).getInt();
            if (found != magic) {
                throw new DataException(String.format("%s: magic number 0x%08X, expected 0x%08X (%s)",
                        file, found, magic, kind));
            }
            int rank = magic & 0xFF;
            int headerSize = 4 + 4 * rank;
            byte[] dimBytes = new byte[4 * rank];
            got = readFully(in, dimBytes);
            if (got < dimBytes.length) {
                throw truncated(file, in, headerSize, 4 + got, "the " + headerSize + "-byte header");
            }
            ByteBuffer dimBuffer = ByteBuffer.wrap(dimBytes);
            int[] dims = new int[rank];
            long count = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = dimBuffer.getInt();
                if (dims[d] < 0) {
                    throw new DataException(file + ": dimension " + d + " is " + Integer.toUnsignedString(dims[d])
                            + ", expected at most " + Integer.MAX_VALUE);
                }
                count *= dims[d];
                if (count > Integer.MAX_VALUE - 8) {
                    throw new DataException(file + ": " + shape(dims, d + 1)
                            + " values is more than the 2^31 supported");
                }
            }
            String contents = "the " + headerSize + "-byte header + " + shape(dims, rank) + " values";
            // A plain file's size is known: compare before allocating, so a header cannot ask for gigabytes.
            if (!(in instanceof GZIPInputStream) && Files.size(file) < headerSize + count) {
                throw truncated(file, in, headerSize + count, Files.size(file), contents);
            }
            byte[] data = in instanceof GZIPInputStream ? readUpTo(in, (int) count) : readAll(in, (int) count);
            if (data.length < count) {
                throw truncated(file, in, headerSize + count, headerSize + data.length, contents);
            }
            long extra = in.transferTo(OutputStream.nullOutputStream());
            if (extra > 0) {
                throw new DataException(file + ": " + (headerSize + count + extra) + " bytes, expected "
                        + (headerSize + count) + " (" + contents + "); the file has trailing data");
            }
            return new Tensor(dims, data);
        } catch (OutOfMemoryError e) {
            throw new DataException(HeapLimit.message(file, "reading the values", fileSizeOrZero(file)));
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static long fileSizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Opens the file, transparently decompressing it if it starts with the gzip magic. */
    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            return gzip ? new GZIPInputStream(in, 1 << 16) : in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Up to {@code count} bytes, fewer if the data ends first. The buffer grows (doubling) as bytes arrive,
     * so a compressed file whose header declares more than it holds costs about three times what it holds.
     */
    private static byte[] readUpTo(InputStream in, int count) throws IOException {
        byte[] buffer = new byte[Math.min(count, 1 << 20)];
        int got = readFully(in, buffer);
        while (got == buffer.length && got < count) {
            int grown = (int) Math.min(count, 2L * buffer.length);
            byte[] more = new byte[grown - got];
            int n = readFully(in, more);
            buffer = Arrays.copyOf(buffer, got + n);
            System.arraycopy(more, 0, buffer, got, n);
            got += n;
        }
        return got == buffer.length ? buffer : Arrays.copyOf(buffer, got);
    }

    /** Up to {@code count} bytes of a file already known to hold them. */
    private static byte[] readAll(InputStream in, int count) throws IOException {
        byte[] data = new byte[count];
        int got = readFully(in, data);
        return got == count ? data : Arrays.copyOf(data, got);
    }

    /**
     * Reads until the buffer is full or the data ends, returning how many bytes arrived. A gzip stream
     * that is cut short throws EOFException; that is the same truncation, so it is reported the same way.
     */
    private static int readFully(InputStream in, byte[] buffer) throws IOException {
        int total = 0;
        try {
            while (total < buffer.length) {
                int n = in.read(buffer, total, buffer.length - total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (EOFException e) {
            // truncated compressed data: report the bytes decoded so far
        }
        return total;
    }

    private static DataException truncated(Path file, InputStream in, long expected, long found,
            String contents) {
        // for gzip files the counts are of decompressed bytes, which is what the header describes
        String unit = in instanceof GZIPInputStream ? " decompressed bytes" : " bytes";
        return new DataException(file + ": truncated, expected " + expected + unit + " (" + contents
                + "), found " + found);
    }

    private static String shape(int[] dims, int upTo) {
        StringBuilder s = new StringBuilder();
        for (int d = 0; d < upTo; d++) {
            s.append(d == 0 ? "" : "x").append(dims[d]);
        }
        return s.toString();
    }
}
