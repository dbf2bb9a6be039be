package dev.addernet.data.source;

import static dev.addernet.data.source.ImageFiles.grey;
import static dev.addernet.data.source.ImageFiles.rgb;
import static dev.addernet.data.source.ImageFiles.write;

import dev.addernet.fuzz.Fuzz;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one image decoder (training, evaluation and predict) on mutated PNG and JPEG files, and ImageFolder
 * around it (see {@link Fuzz}). A PNG may decode to up to 1032 bytes per byte of file (deflate's limit),
 * so the memory bound is stated per byte of file accordingly.
 */
class ImageFuzzTest {
    @TempDir Path tmp;

    static List<byte[]> seeds(Path dir) throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Files.readAllBytes(write(dir.resolve("rgb.png"), rgb(1, 12, 10), "png")));
        seeds.add(Files.readAllBytes(write(dir.resolve("grey.png"), grey(2, 9, 11), "png")));
        BufferedImage deep = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(3, 3, 0, 40000);
        seeds.add(Files.readAllBytes(write(dir.resolve("grey16.png"), deep, "png")));
        byte[] levels = {0, 60, (byte) 200, (byte) 255};
        BufferedImage palette = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 4, levels, levels, levels));
        palette.getRaster().setSample(1, 1, 0, 3);
        seeds.add(Files.readAllBytes(write(dir.resolve("palette.png"), palette, "png")));
        seeds.add(Files.readAllBytes(write(dir.resolve("rgba.png"), new BufferedImage(5, 7, BufferedImage.TYPE_INT_ARGB), "png")));
        seeds.add(Files.readAllBytes(write(dir.resolve("rgb.jpg"), rgb(3, 16, 24), "jpeg")));
        seeds.add(Files.readAllBytes(write(dir.resolve("grey.jpg"), grey(4, 16, 16), "jpeg")));
        seeds.add(jpeg(null, rgb(5, 24, 16), true));
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 8, 4, null);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 16; x++) cmyk.setPixel(x, y, new int[] {200, 10 * x, 50, 20 * y});
        seeds.add(jpeg(cmyk, null, false));
        return seeds;
    }

    /** A JPEG of a raster (CMYK) or of an image, progressive if asked. */
    static byte[] jpeg(Raster raster, BufferedImage image, boolean progressive) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, raster != null ? new IIOImage(raster, null, null) : new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static final List<byte[]> TOKENS = Fuzz.tokens("IHDR", "IDAT", "IEND", "PLTE", "tRNS", "\u00ff\u00d8\u00ff", "\u00ff\u00da",
            "\u00ff\u00c0", "\u00ff\u00c2", "\u00ff\u00c4", "\u00ff\u00db", "\u00ff\u00d9", "\u00ff\u00ee", "Adobe");

    @Test
    void mutatedImagesKeepTheContract() throws Exception {
        Fuzz.check(new Fuzz.Target("image", "picture.img", seeds(tmp), TOKENS, 32 * 1032, 32 << 20,
                file -> ImageDecoder.decode(file).toSample()), tmp.resolve("fuzz"));
    }

    @Test
    void anImageFolderWithAMutatedImageKeepsTheContract() throws Exception {
        Path root = tmp.resolve("tree");
        write(root.resolve("b/fine.png"), rgb(9, 8, 8), "png");
        Fuzz.check(new Fuzz.Target("imagefolder", "a/x.png", seeds(tmp), TOKENS, 32 * 1032, 32 << 20, file -> {
            ImageFolder set = ImageFolder.scan("t", root);
            for (int i = 0; i < set.size(); i++) set.sample(i);
        }), root);
    }
}
