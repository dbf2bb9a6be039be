package dev.addernet.data.source;

import dev.addernet.data.Normalization;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Pictures to network inputs: channels, padding, bilinear resizing, normalisation. */
class ImageInputTest {
    static final Normalization NONE1 = new Normalization(new float[] {0}, new float[] {1});
    static final Normalization NONE3 = new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});

    @Test
    void greyPicturesKeepTheirStoredLevels() {
        // getRGB would gamma-convert a linear grey level of 128 to about 196; the raster value is what training saw.
        BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 0, 0, 128);
        ImageInput.Prepared p = ImageInput.prepare(grey, 1, 2, 0, NONE1);
        assertThat(p.values()).containsExactly(0, 128 / 255f, 0, 0);
        assertThat(p.note()).isEmpty();
        // Grey to RGB repeats the level in each channel.
        assertThat(ImageInput.prepare(grey, 3, 2, 0, NONE3).values()).containsExactly(0, 128 / 255f, 0, 0, 0, 128 / 255f, 0, 0, 0, 128 / 255f, 0, 0);
    }

    @Test
    void colourToGreyUsesLumaAndNormalises() {
        BufferedImage rgb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xff8000); // r 255, g 128, b 0
        float luma = (0.299f * 255 + 0.587f * 128) / 255f;
        Normalization norm = new Normalization(new float[] {0.5f}, new float[] {0.25f});
        assertThat(ImageInput.prepare(rgb, 1, 1, 0, norm).values()[0]).isCloseTo((luma - 0.5f) / 0.25f, within(1e-6f));
        float[] three = ImageInput.prepare(rgb, 3, 1, 0, NONE3).values();
        assertThat(three).containsExactly(1f, 128 / 255f, 0f);
    }

    @Test
    void mnistSizedPicturesArePaddedAsInTraining() {
        BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        digit.getRaster().setSample(0, 0, 0, 255);
        Normalization norm = new Normalization(new float[] {0.1307f}, new float[] {0.3081f});
        ImageInput.Prepared p = ImageInput.prepare(digit, 1, 32, 28, norm);
        assertThat(p.note()).isEqualTo("zero-padded 28x28 -> 32x32 (as in training)");
        assertThat(p.values()[0]).isEqualTo((0 - 0.1307f) / 0.3081f);
        assertThat(p.values()[2 * 32 + 2]).isEqualTo((1 - 0.1307f) / 0.3081f);
    }

    @Test
    void resizesBilinearlyWithHalfPixelCentres() {
        // Upscaling [0, 1] by 2: outputs sit at input coordinates -0.25, 0.25, 0.75, 1.25 (clamped at the border).
        float[] up = ImageInput.resize(new float[] {0, 1, 0, 1}, 1, 2, 2, 4);
        assertThat(java.util.Arrays.copyOf(up, 4)).containsExactly(0f, 0.25f, 0.75f, 1f);
        // Shrinking averages: a 1-pixel checkerboard becomes flat grey instead of aliasing to black or white.
        float[] board = new float[64 * 64];
        for (int i = 0; i < board.length; i++) board[i] = ((i / 64) + (i % 64)) % 2;
        for (float v : ImageInput.resize(board, 1, 64, 64, 8)) assertThat(v).isCloseTo(0.5f, within(0.01f));
        BufferedImage wide = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        assertThat(ImageInput.prepare(wide, 3, 32, 0, NONE3).note()).isEqualTo("resized 64x48 -> 32x32 (bilinear)");
    }
}
