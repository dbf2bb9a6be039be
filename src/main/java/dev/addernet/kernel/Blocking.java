package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.NR;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How wide a column block {@link ConvKernels} cuts a layer call into: the one blocking choice of the driver
 * (the register tiles are fixed per vector width). A block of taps x columns is packed, then read by every
 * filter panel's tiles, so it should stay in the core's L2 cache beside the output block.
 *
 * <p>The width comes from, in order: a width the tuner is trying ({@link #force}); this machine's tuning file
 * ({@link Tuning}, written by {@code addernet tune}), per op, layer shape and phase; else the width derived from
 * the cache sizes the kernel reports in {@code /sys/devices/system/cpu}: a quarter of L2 (at most 256 KiB of
 * packed floats), half of L1d for a convolution's forward, at most {@link #MAX_DERIVED_COLUMNS} columns.
 *
 * <p>The width changes which columns one block's partial weight-gradient sums hold, so results depend on it
 * (in the last bits) as they do on the thread count; the tests run with {@code -Daddernet.tuning=off}.
 */
public final class Blocking {
    /** The pass a width is for: the forward, or the backward's shared block (input and weight gradient). */
    public enum Phase { FORWARD, BACKWARD }

    /** Columns in a derived block at most: wider blocks only stretch the bordered image group. */
    static final int MAX_DERIVED_COLUMNS = 512;
    /** The largest width the tuner tries or a tuning file may give. */
    public static final int MAX_COLUMNS = 4096;

    /** The L1 data and L2 caches of one core in bytes (32 KiB and 1 MiB assumed where sysfs says nothing), and their source. */
    static final long L1D_BYTES, L2_BYTES;
    static final String CACHE_SOURCE;
    static {
        long l1 = sysfsCacheBytes(1), l2 = sysfsCacheBytes(2);
        L1D_BYTES = l1 > 0 ? l1 : 32 << 10;
        L2_BYTES = l2 > 0 ? l2 : 1L << 20;
        CACHE_SOURCE = (l1 > 0 ? "L1d " + (l1 / 1024) + " KiB" : "L1d assumed 32 KiB") + ", " + (l2 > 0 ? "L2 " + (l2 / 1024) + " KiB" : "L2 assumed 1 MiB")
                + " per core (/sys/devices/system/cpu/cpu0/cache)";
    }

    /** The size of cpu0's data or unified cache of {@code level} as sysfs reports it, or -1. */
    private static long sysfsCacheBytes(int level) {
        try {
            for (int index = 0; index < 8; index++) {
                Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + index);
                if (!Files.isDirectory(dir)) return -1;
                if (Files.readString(dir.resolve("level")).strip().equals(Integer.toString(level))
                        && !Files.readString(dir.resolve("type")).strip().equals("Instruction")) {
                    return parseSize(Files.readString(dir.resolve("size")).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1; // unreadable or odd: the caller assumes a size and says so
        }
        return -1;
    }

    /** Packed floats in a derived block: a quarter of L2, at most 64 Ki floats (256 KiB). */
    static final int BLOCK_FLOATS = (int) Math.min(64 * 1024, L2_BYTES / 4 / Float.BYTES);
    /**
     * Packed floats in a derived convolution forward block: half of L1d. sgemm reads each packed column once
     * per filter, and ResNet filter counts are small (16-64): the block is read few times, so where it sits
     * after im2col wrote it decides the speed (docs/benchmarks.md has the tuner's figures).
     */
    static final int CONV_FORWARD_FLOATS = (int) (L1D_BYTES / 2 / Float.BYTES);

    private static volatile int forced;

    private Blocking() {}

    /** The column width of a block of {@code kind}'s {@code phase} on shape {@code s}. */
    static int columns(Op kind, ConvShape s, Phase phase) {
        final int f = forced;
        if (f > 0) return f;
        final Integer tuned = tuned(kind, s, phase);
        return tuned != null ? tuned : derivedColumns(kind, phase, packedRows(s, phase));
    }

    /** The tuning file's width for this call, or null. */
    private static Integer tuned(Op kind, ConvShape s, Phase phase) {
        final Tuning tuning = Tuning.current();
        return tuning.size() == 0 ? null : tuning.columns(key(kind, s, phase)); // no key string without a file
    }

    /**
     * The width derived from the cache sizes for a block of {@code taps} packed rows: a multiple of the tile width,
     * L1d-sized (at least two tiles) for a convolution's forward, else L2-sized.
     */
    public static int derivedColumns(Op kind, Phase phase, int taps) {
        if (kind.computed() == Op.CONV && phase == Phase.FORWARD) {
            return Math.max(2 * NR, Math.min(MAX_DERIVED_COLUMNS, CONV_FORWARD_FLOATS / taps / NR * NR));
        }
        return Math.max(NR, Math.min(MAX_DERIVED_COLUMNS, BLOCK_FLOATS / taps / NR * NR));
    }

    /** The packed rows of a phase's block: the backward pads the taps to the 8-row panels of its weight gradient. */
    public static int packedRows(ConvShape s, Phase phase) {
        return phase == Phase.FORWARD ? s.taps() : dev.addernet.tensor.Shapes.roundUp(s.taps(), Microkernels.MR);
    }

    /** The width {@link ConvKernels} uses for this call now and where it comes from ("tuned", "derived" or "forced"). */
    public static Map<String, Object> describe(Op kind, ConvShape s, Phase phase) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("columns", columns(kind, s, phase));
        d.put("source", forced > 0 ? "forced" : tuned(kind, s, phase) != null ? "tuned" : "derived");
        return d;
    }

    /** Every call uses {@code columns} (a positive multiple of {@link Microkernels#NR}) until {@code force(0)}: the tuner's trials. */
    public static void force(int columns) {
        if (columns != 0 && (columns < NR || columns % NR != 0 || columns > MAX_COLUMNS)) {
            throw new IllegalArgumentException("a block width must be a multiple of " + NR + " in [" + NR + ", " + MAX_COLUMNS + "], got " + columns);
        }
        forced = columns;
    }

    /** The tile width every block width is a multiple of. */
    public static int tileColumns() {
        return NR;
    }

    /** The tuning file's key of a call: op, input (c x h x w), filters, kernel, stride, padding and phase; no batch. */
    public static String key(Op kind, ConvShape s, Phase phase) {
        return kind.computed().id() + " " + s.c() + "x" + s.h() + "x" + s.w() + ">" + s.m() + " k" + s.k() + " s" + s.stride() + " p" + s.pad()
                + " " + phase.name().toLowerCase();
    }

    /** Where the derived widths come from, for {@code bench}: the cache sizes and how they were found. */
    public static String derivation() {
        return CACHE_SOURCE + ": convolution forward blocks of up to " + (CONV_FORWARD_FLOATS * Float.BYTES / 1024) + " KiB, others "
                + (BLOCK_FLOATS * Float.BYTES / 1024) + " KiB of packed floats, at most " + MAX_DERIVED_COLUMNS + " columns";
    }

    /** "1024K", "2M", "512" (bytes) as sysfs writes a cache size. */
    static long parseSize(String text) {
        char unit = Character.toUpperCase(text.charAt(text.length() - 1));
        long scale = unit == 'K' ? 1024 : unit == 'M' ? 1024 * 1024 : unit == 'G' ? 1024L * 1024 * 1024 : 1;
        return Long.parseLong(Character.isDigit(unit) ? text : text.substring(0, text.length() - 1)) * scale;
    }

    /** A width read from a tuning file's {@code node}: a multiple of the tile width within range, else null. */
    static Integer validWidth(JsonNode node) {
        if (node == null || !node.canConvertToInt()) return null;
        int v = node.intValue();
        return v >= NR && v <= MAX_COLUMNS && v % NR == 0 ? v : null;
    }
}
