package dev.addernet.data.source;

import dev.addernet.data.DataException;
import dev.addernet.data.Normalization;
import static dev.addernet.data.source.ImageFiles.grey;
import static dev.addernet.data.source.ImageFiles.rgb;
import static dev.addernet.data.source.ImageFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One decoder for every path, dimensions checked before any pixel memory is allocated, and no image
 * silently completed with grey.
 */
class ImageDecoderLimitsTest {
    static final Normalization NONE3 = new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});
    @TempDir Path dir;

    /** A PNG of 8-bit RGB that declares width x height but holds only a few compressed rows. */
    static byte[] png(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2).array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[3 * Math.min(width, 1000) + 1]);
        deflater.finish();
        byte[] idat = new byte[4096];
        chunk(out, "IDAT", Arrays.copyOf(idat, deflater.deflate(idat)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(type.getBytes());
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(type.getBytes());
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void dimensionsOverTheLimitAreRefusedBeforeDecoding() throws Exception {
        Path huge = Files.write(dir.resolve("huge.png"), png(46000, 46000));
        assertThat(Files.size(huge)).isLessThan(10_000);
        assertThatThrownBy(() -> ImageDecoder.decode(huge)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(huge + ": 46000x46000 is 2116000000 pixels, over the limit of 67108864");
    }

    @Test
    void dimensionsTheFileCannotHoldAreRefusedBeforeDecoding() throws Exception {
        Path big = Files.write(dir.resolve("big.png"), png(4000, 4000));
        assertThatThrownBy(() -> ImageDecoder.decode(big)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(big + ": the header says 4000x4000 pixels, more than its ");
    }

    @Test
    void aJpegCutAfterItsStartOfScanIsRefused() throws Exception {
        byte[] jpeg = Files.readAllBytes(write(dir.resolve("whole.jpg"), rgb(1, 64, 64), "jpeg"));
        int sos = 0;
        while (!(jpeg[sos] == (byte) 0xFF && jpeg[sos + 1] == (byte) 0xDA)) sos++;
        Path torn = Files.write(dir.resolve("torn.jpg"), Arrays.copyOf(jpeg, sos + 40));
        assertThatThrownBy(() -> ImageDecoder.decode(torn)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(torn + ": corrupt image");
    }

    @Test
    void aJpegWhoseDataIsCompleteButLacksItsEndMarkerIsRead() throws Exception {
        Path whole = write(dir.resolve("whole.jpg"), rgb(1, 64, 64), "jpeg");
        byte[] jpeg = Files.readAllBytes(whole);
        Path noEnd = Files.write(dir.resolve("no-end.jpg"), Arrays.copyOf(jpeg, jpeg.length - 2)); // FF D9
        assertThat(ImageDecoder.decode(noEnd).rgb()).isEqualTo(ImageDecoder.decode(whole).rgb());
    }

    @Test
    void predictAndTrainingSeeTheSameTensors() throws Exception {
        Path root = dir.resolve("tree");
        write(root.resolve("a/rgb.jpg"), rgb(2, 24, 24), "jpeg");
        write(root.resolve("a/rgb.png"), rgb(3, 24, 24), "png");
        write(root.resolve("b/grey.png"), grey(4, 24, 24), "png");
        write(root.resolve("b/grey.jpg"), grey(5, 24, 24), "jpeg");
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 24, 24, 4, null);
        for (int y = 0; y < 24; y++) for (int x = 0; x < 24; x++) cmyk.setPixel(x, y, new int[] {200, 10 * x, 50, 7 * y});
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(root.resolve("b/cmyk.jpg").toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(cmyk, null, null), null);
        } finally {
            writer.dispose();
        }
        ImageFolder set = ImageFolder.scan("t", root);
        assertThat(set.size()).isEqualTo(5);
        for (int i = 0; i < set.size(); i++) {
            float[] training = set.sample(i).values();
            float[] predict = ImageInput.read(set.file(i), 3, 24, 0, NONE3).values();
            assertThat(predict).as(set.file(i).toString()).containsExactly(training);
        }
    }
}
