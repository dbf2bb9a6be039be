package dev.addernet.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutations of a valid file, as a hostile or careless user (or a failing disk) makes them: bit flips, runs
 * of one byte, truncation, integers set to extremes (sizes, lengths, offsets, in either byte order),
 * duplicated, deleted, swapped or inserted ranges, and tokens of the format spliced in.
 */
final class Mutations {
    /** Values a size field is set to: the edges of every integer width and of the arrays Java can allocate. */
    private static final long[] EXTREMES = {0, 1, -1, 2, 255, 256, 0x7F, 0x80, 0xFFFF, 0x10000, Integer.MAX_VALUE,
            Integer.MIN_VALUE, Integer.MAX_VALUE - 8, 0xFFFFFFFFL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, 46000, 3072};
    private static final byte[] RUN_BYTES = {0, (byte) 0xFF, 0x7F, (byte) 0x80, ' ', '{', '['};

    private Mutations() {}

    /** One to four mutations of {@code seed}, chosen by {@code rng}; {@code tokens} are pieces of the format to splice in. */
    static byte[] of(byte[] seed, SplittableRandom rng, List<byte[]> tokens) {
        byte[] b = seed.clone();
        int count = 1 + rng.nextInt(4);
        for (int m = 0; m < count; m++) b = once(b, rng, tokens);
        return b;
    }

    private static byte[] once(byte[] b, SplittableRandom rng, List<byte[]> tokens) {
        int n = b.length;
        if (n == 0) return new byte[] {(byte) rng.nextInt(256)};
        switch (rng.nextInt(10)) {
            case 0 -> { // bit flips, often in the header where the sizes are
                int flips = 1 + rng.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    int at = position(rng, n);
                    b[at] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            case 1 -> b[position(rng, n)] = (byte) rng.nextInt(256);
            case 2 -> { // a run of one byte
                int at = position(rng, n), len = Math.min(n - at, 1 + rng.nextInt(32));
                byte v = rng.nextBoolean() ? RUN_BYTES[rng.nextInt(RUN_BYTES.length)] : (byte) rng.nextInt(256);
                Arrays.fill(b, at, at + len, v);
            }
            case 3 -> b = Arrays.copyOf(b, rng.nextInt(n)); // truncation
            case 4 -> { // an integer field set to an extreme, 4 or 8 bytes, either byte order
                int width = rng.nextBoolean() ? 4 : 8;
                if (n < width) return b;
                int at = Math.min(position(rng, n) & ~3, n - width);
                ByteBuffer view = ByteBuffer.wrap(b, at, width).order(rng.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                long v = EXTREMES[rng.nextInt(EXTREMES.length)];
                if (width == 4) view.putInt((int) v); else view.putLong(v);
            }
            case 5 -> { // a range duplicated in place
                int from = rng.nextInt(n), len = Math.min(n - from, 1 + rng.nextInt(Math.max(1, n / 4)));
                b = splice(b, from, 0, Arrays.copyOfRange(b, from, from + len));
            }
            case 6 -> { // a range deleted
                int from = rng.nextInt(n), len = Math.min(n - from, 1 + rng.nextInt(Math.max(1, n / 8)));
                b = splice(b, from, len, new byte[0]);
            }
            case 7 -> { // two ranges swapped (entries reordered)
                int len = 1 + rng.nextInt(Math.max(1, n / 4));
                if (2 * len > n) return b;
                int x = rng.nextInt(n - 2 * len + 1), y = x + len + rng.nextInt(n - x - 2 * len + 1);
                byte[] first = Arrays.copyOfRange(b, x, x + len);
                System.arraycopy(b, y, b, x, len);
                System.arraycopy(first, 0, b, y, len);
            }
            case 8 -> { // a token of the format, inserted or written over
                if (tokens.isEmpty()) return b;
                byte[] t = tokens.get(rng.nextInt(tokens.size()));
                int at = rng.nextInt(n + 1);
                b = rng.nextBoolean() ? splice(b, at, 0, t) : splice(b, at, Math.min(t.length, n - at), t);
            }
            default -> { // random bytes inserted
                byte[] junk = new byte[1 + rng.nextInt(16)];
                for (int i = 0; i < junk.length; i++) junk[i] = (byte) rng.nextInt(256);
                b = splice(b, rng.nextInt(n + 1), 0, junk);
            }
        }
        return b;
    }

    /** Half the time in the first 64 bytes, where headers and their sizes are. */
    private static int position(SplittableRandom rng, int n) {
        return rng.nextBoolean() ? rng.nextInt(Math.min(n, 64)) : rng.nextInt(n);
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    /** Tokens from strings, for text formats and text inside binary ones. */
    static List<byte[]> tokens(String... texts) {
        return Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }
}
