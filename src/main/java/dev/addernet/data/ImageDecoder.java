package dev.addernet.data;

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
import java.util.HexFormat;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
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
 */
final class ImageDecoder {

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
    record Image(byte[] rgb, int height, int width, int sourceChannels) {

        /** The image as floats in [0, 1], as torchvision's {@code ToTensor}. */
        Sample toSample() {
            float[] values = new float[rgb.length];
            for (int k = 0; k < rgb.length; k++) {
                values[k] = (rgb[k] & 0xFF) / 255f;
            }
            return new Sample(values, 3, height, width);
        }
    }

    private ImageDecoder() {}

    /**
     * Reads and decodes {@code file}.
     *
     * @throws DataException naming the file if it is missing, unreadable, not a JPEG or PNG, or corrupt
     */
    static Image decode(Path file) {
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
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            return toRgb(reader.read(0));
        } catch (IOException | RuntimeException e) {
            throw new DataException(file + ": corrupt or unsupported image (" + e.getMessage()
                    + "), expected a readable JPEG or PNG", e);
        } finally {
            reader.setInput(null);
        }
    }

    private static Image toRgb(BufferedImage image) {
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
