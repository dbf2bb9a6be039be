package dev.addernet.data.source;

import dev.addernet.data.Sample;
import dev.addernet.data.DataException;
import dev.addernet.io.HeapLimit;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes a JPEG or PNG file into 8-bit RGB planes with {@code javax.imageio}, converting as Pillow's
 * {@code convert("RGB")} would: grey is copied to all three channels, alpha is dropped, 16-bit
 * samples are scaled to 8 bits, palettes are looked up, CMYK is converted with Pillow's formula.
 *
 * <p>The format is recognised from the first bytes, not from the file name. Each thread keeps one
 * reader per format and reads from memory, because looking up a reader and caching the stream on disk
 * (what {@code ImageIO.read} does per call) costs more than decoding a 32x32 JPEG.
 *
 * <p>The dimensions are read from the header and checked before any pixel memory is allocated: at most
 * {@link #maxPixels()} pixels, and no more than the file's bytes can hold (a PNG's pixel rows are deflated,
 * which shrinks data at most 1032 times; a JPEG codes every 8x8 block of its full-resolution component in
 * at least one bit). A file that ends before its pixel data does (ImageIO would fill the rest grey) is
 * refused. This is the one decoder of the project: training, evaluation and {@code predict} all use it.
 */
public final class ImageDecoder {

    /** The default of {@link #maxPixels()}: 64 Mi pixels (8192 x 8192), 3 bytes each as RGB. */
    public static final long DEFAULT_MAX_PIXELS = 64L << 20;
    // deflate's largest expansion (RFC 1951: a 258-byte match costs at least 2 bits), and JPEG's 64 pixels per bit
    private static final long DEFLATE_MAX_RATIO = 1032;
    private static final long JPEG_PIXELS_PER_BYTE = 8 * 64;

    private static volatile long maxPixels = DEFAULT_MAX_PIXELS;

    private static final byte[] JPEG_MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private static final ThreadLocal<ImageReader> JPEG = ThreadLocal.withInitial(() -> reader("jpeg"));
    private static final ThreadLocal<ImageReader> PNG = ThreadLocal.withInitial(() -> reader("png"));

    /**
     * A decoded image.
     *
     * @param rgb 3 x height x width unsigned bytes, planes R, G, B
     * @param sourceChannels colour channels in the file: 1 for grey, 3 for RGB, 4 for CMYK
     */
    public record Image(byte[] rgb, int height, int width, int sourceChannels) {

        /** The image as floats in [0, 1], as torchvision's {@code ToTensor}. */
        public Sample toSample() {
            float[] values = new float[rgb.length];
            for (int k = 0; k < rgb.length; k++) {
                values[k] = (rgb[k] & 0xFF) / 255f;
            }
            return new Sample(values, 3, height, width);
        }
    }

    private ImageDecoder() {}

    /** The most pixels an image may have; larger ones are refused before decoding. */
    public static long maxPixels() {
        return maxPixels;
    }

    /** Sets {@link #maxPixels()} for this process (the {@code --max-pixels} option). */
    public static void setMaxPixels(long pixels) {
        if (pixels < 1) throw new IllegalArgumentException("the pixel limit must be at least 1, got " + pixels);
        maxPixels = pixels;
    }

    /**
     * Reads and decodes {@code file}.
     *
     * @throws DataException naming the file if it is missing, unreadable, not a JPEG or PNG, or corrupt
     */
    public static Image decode(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": image file does not exist");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read image file (" + e.getMessage() + ")", e);
        }
        boolean jpeg = startsWith(bytes, JPEG_MAGIC);
        if (!jpeg && !startsWith(bytes, PNG_MAGIC)) {
            throw new DataException(file + ": not a JPEG or PNG image (it starts with bytes "
                    + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(8, bytes.length))
                    + "), expected FF D8 FF (JPEG) or 89 50 4E 47 (PNG)");
        }
        ImageReader reader = jpeg ? JPEG.get() : PNG.get();
        // ImageIO reports scan data that ends early ("premature end of data segment") as a warning and fills
        // the missing rows grey. Other warnings (a missing end marker after complete data, an invalid colour
        // profile ignored, extraneous bytes) are what Pillow accepts too, so only that one counts.
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener listener = (source, warning) -> {
            if (warning.toLowerCase(Locale.ROOT).contains("premature end")) warnings.add(warning);
        };
        reader.addIIOReadWarningListener(listener);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            checkSize(file, reader.getWidth(0), reader.getHeight(0), jpeg, bytes);
            try {
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new DataException(file + ": corrupt image (" + warnings.getFirst() + "), expected a complete "
                            + (jpeg ? "JPEG" : "PNG"));
                }
                return toRgb(image);
            } catch (OutOfMemoryError e) {
                long w = reader.getWidth(0), h = reader.getHeight(0);
                // ImageIO's raster (up to 4 bytes a pixel) and the 3 RGB planes
                throw new DataException(HeapLimit.message(file, "decoding " + w + "x" + h + " pixels", 7 * w * h));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException d) throw d;
            throw new DataException(file + ": corrupt or unsupported image (" + e.getMessage()
                    + "), expected a readable JPEG or PNG", e);
        } finally {
            reader.removeIIOReadWarningListener(listener);
            reader.setInput(null);
        }
    }

    /** Refuses dimensions over the limit, or more than the file's bytes could encode, before any pixel is allocated. */
    private static void checkSize(Path file, int width, int height, boolean jpeg, byte[] bytes) {
        long pixels = (long) width * height;
        String size = width + "x" + height;
        if (width < 1 || height < 1) throw new DataException(file + ": the header says " + size + " pixels, expected at least 1x1");
        if (pixels > maxPixels) {
            throw new DataException(file + ": " + size + " is " + pixels + " pixels, over the limit of " + maxPixels
                    + " (raise it with --max-pixels)");
        }
        long most = jpeg ? JPEG_PIXELS_PER_BYTE * bytes.length : pngMostPixels(bytes);
        if (pixels > most) {
            throw new DataException(file + ": the header says " + size + " pixels, more than its " + bytes.length
                    + " bytes can hold (corrupt or truncated " + (jpeg ? "JPEG" : "PNG") + ")");
        }
    }

    /**
     * The most pixels a PNG could decode to: its samples (bit depth and colour type from the IHDR chunk at
     * bytes 24 and 25) are deflated, and deflate expands at most 1032 times. The header is present: ImageIO
     * read the width from it.
     */
    private static long pngMostPixels(byte[] bytes) {
        int depth = bytes[24] & 0xFF, colourType = bytes[25] & 0xFF;
        int samples = switch (colourType) {
            case 2 -> 3;  // RGB
            case 4 -> 2;  // grey and alpha
            case 6 -> 4;  // RGBA
            default -> 1; // grey, palette
        };
        return DEFLATE_MAX_RATIO * bytes.length * 8 / ((long) samples * Math.max(depth, 1));
    }

    /** The image as 8-bit RGB planes, converted as the class comment says. */
    public static Image toRgb(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        byte[] rgb = new byte[3 * plane];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR && raster.getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getNumBanks() == 1 && buffer.getOffset() == 0 && raster.getParent() == null) {
            // what ImageIO gives for colour JPEGs: interleaved B, G, R
            byte[] bgr = buffer.getData();
            for (int p = 0, k = 0; p < plane; p++, k += 3) {
                rgb[p] = bgr[k + 2];
                rgb[plane + p] = bgr[k + 1];
                rgb[2 * plane + p] = bgr[k];
            }
            return new Image(rgb, h, w, 3);
        }
        if (cm instanceof IndexColorModel) {
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            for (int p = 0; p < plane; p++) {
                rgb[p] = (byte) (argb[p] >> 16);
                rgb[plane + p] = (byte) (argb[p] >> 8);
                rgb[2 * plane + p] = (byte) argb[p];
            }
            return new Image(rgb, h, w, 3);
        }
        if (cm.getNumColorComponents() == 4) {
            return cmykToRgb(raster);
        }
        // grey (1 colour component) or RGB (3), with or without alpha; read samples rather than
        // getRGB(), which would apply a gamma curve to grey images
        int colours = cm.getNumColorComponents();
        if (colours != 1 && colours != 3) {
            throw new IllegalArgumentException(colours + " colour channels, expected grey or RGB");
        }
        int[] row = new int[w];
        for (int c = 0; c < 3; c++) {
            int band = colours == 1 ? 0 : c;
            int max = (1 << cm.getComponentSize(band)) - 1;
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, band, row);
                for (int x = 0; x < w; x++) {
                    rgb[c * plane + y * w + x] = (byte) (max == 255 ? row[x] : (row[x] * 255 + max / 2) / max);
                }
            }
        }
        return new Image(rgb, h, w, colours);
    }

    /**
     * A CMYK image (a few dozen ImageNet JPEGs) converted as Pillow does: {@code R = 255 - C - K},
     * clipped at 0, and so on; the JDK's decoder has already undone Adobe's inverted storage.
     */
    private static Image cmykToRgb(Raster raster) {
        int h = raster.getHeight();
        int w = raster.getWidth();
        int plane = h * w;
        byte[] rgb = new byte[3 * plane];
        int[] k = new int[w];
        int[] v = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 3, k);
            for (int c = 0; c < 3; c++) {
                raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, c, v);
                for (int x = 0; x < w; x++) {
                    rgb[c * plane + y * w + x] = (byte) Math.max(0, 255 - v[x] - k[x]);
                }
            }
        }
        return new Image(rgb, h, w, 4);
    }

    private static boolean startsWith(byte[] bytes, byte[] magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static ImageReader reader(String format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalStateException("the JDK always provides a " + format + " reader");
        }
        return readers.next();
    }
}
