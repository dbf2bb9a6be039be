package dev.addernet.data.transform;

import dev.addernet.data.Sample;
import dev.addernet.data.Normalization;
import dev.addernet.data.ImageSet;
import dev.addernet.data.NumberedImages;
import dev.addernet.data.loading.BatchLoader;
import dev.addernet.tensor.Rng;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransformsTest {

    /** A C x H x W sample whose values are all distinct and positive (so 0 marks padding). */
    static Sample numbered(int channels, int height, int width) {
        float[] v = new float[channels * height * width];
        for (int k = 0; k < v.length; k++) {
            v[k] = (k + 1) / (float) (v.length + 1);
        }
        return new Sample(v, channels, height, width);
    }

    /**
     * The shift (dy, dx) with out(c, y, x) = in(c, y + dy, x + dx) (0 outside), and whether the image is
     * mirrored, found by trying every shift in [-8, 8]; null if none fits.
     */
    static int[] shiftOf(Sample in, Sample out) {
        for (int flip = 0; flip < 2; flip++) {
            for (int dy = -8; dy <= 8; dy++) {
                for (int dx = -8; dx <= 8; dx++) {
                    if (matches(in, out, dy, dx, flip == 1)) {
                        return new int[] {dy, dx, flip};
                    }
                }
            }
        }
        return null;
    }

    private static boolean matches(Sample in, Sample out, int dy, int dx, boolean flip) {
        for (int c = 0; c < out.channels(); c++) {
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    int sx = (flip ? out.width() - 1 - x : x) + dx;
                    int sy = y + dy;
                    boolean inside = sy >= 0 && sy < in.height() && sx >= 0 && sx < in.width();
                    float want = inside ? in.values()[in.index(c, sy, sx)] : 0;
                    if (out.values()[out.index(c, y, x)] != want) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static Sample copy(Sample s) {
        return new Sample(s.values().clone(), s.channels(), s.height(), s.width());
    }

    @Test
    void cifarRandomCropShiftsByAtMostFourAndPadsWithZeros() {
        Sample image = numbered(3, 32, 32);
        SampleTransform crop = new RandomCrop(32, 4);
        Set<List<Integer>> seen = new HashSet<>();
        for (int s = 0; s < 600; s++) {
            Sample out = crop.apply(copy(image), Rng.of(1, s));
            int[] shift = shiftOf(image, out);
            assertThat(shift).as("seed %d", s).isNotNull();
            assertThat(shift[0]).isBetween(-4, 4);
            assertThat(shift[1]).isBetween(-4, 4);
            assertThat(shift[2]).isZero();
            seen.add(List.of(shift[0], shift[1]));
            // the same random source gives the same crop
            assertThat(crop.apply(copy(image), Rng.of(1, s)).values()).containsExactly(out.values());
        }
        assertThat(seen).hasSize(81); // every offset in [-4, 4]^2 occurs
        // the draws are torchvision's: row offset first, each nextInt(40 - 32 + 1)
        Rng draws = Rng.of(1, 0);
        int dy = draws.nextIntLemire(9) - 4;
        int dx = draws.nextIntLemire(9) - 4;
        assertThat(shiftOf(image, crop.apply(copy(image), Rng.of(1, 0)))).containsExactly(dy, dx, 0);
    }

    @Test
    void horizontalFlipMirrorsRowsWithItsProbability() {
        Sample image = numbered(2, 3, 5);
        Sample flipped = new HorizontalFlip(1).apply(copy(image), Rng.of(3));
        assertThat(shiftOf(image, flipped)).containsExactly(0, 0, 1);
        assertThat(flipped.values()[flipped.index(1, 2, 0)]).isEqualTo(image.values()[image.index(1, 2, 4)]);
        assertThat(new HorizontalFlip(0).apply(copy(image), Rng.of(3)).values()).containsExactly(image.values());

        int flips = 0;
        for (int s = 0; s < 1000; s++) {
            Sample out = new HorizontalFlip(0.5).apply(copy(image), Rng.of(9, s));
            flips += shiftOf(image, out)[2];
        }
        assertThat(flips).isBetween(430, 570);
        assertThatThrownBy(() -> new HorizontalFlip(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cifarTrainingPipelineIsCropThenFlipAndDeterministic() {
        Sample image = numbered(3, 32, 32);
        Set<Integer> flips = new HashSet<>();
        for (int s = 0; s < 200; s++) {
            Sample out = Transforms.cifarTrain().apply(copy(image), Rng.of(5, s));
            int[] shift = shiftOf(image, out);
            // mirrored output: its column x came from input column 31 - x + dx
            assertThat(shift).as("seed %d", s).isNotNull();
            assertThat(shift[0]).isBetween(-4, 4);
            assertThat(shift[1]).isBetween(-4, 4);
            flips.add(shift[2]);
        }
        assertThat(flips).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void augmentedBatchesArePaddedBlackAndRepeatForTheSameSeedAndEpoch() {
        byte[] white = new byte[4 * 3072];
        Arrays.fill(white, (byte) 255);
        ImageSet set = new ImageSet("white", white, new int[] {0, 1, 2, 3}, 3, 32, 32, NumberedImages.CLASSES);
        float[] first = epoch(set, 4);

        assertThat(epoch(set, 4)).containsExactly(first);
        assertThat(epoch(set, 5)).isNotEqualTo(first);
        Set<Float> values = new HashSet<>();
        for (float v : first) {
            values.add(v);
        }
        // red channel values: white, or a black padding pixel normalised
        assertThat(values).contains((1 - 0.4914f) / 0.2023f, (0 - 0.4914f) / 0.2023f);
    }

    private static float[] epoch(ImageSet set, int epoch) {
        try (BatchLoader loader = new BatchLoader(set, 4, true, 42, epoch, Normalization.CIFAR,
                Transforms.cifarTrain(), false)) {
            return loader.iterator().next().images();
        }
    }

    @Test
    void randomResizedCropWindowsFollowTorchvisionsRanges() {
        RandomResizedCrop crop = new RandomResizedCrop(224);
        double minFraction = 1;
        double maxFraction = 0;
        for (int s = 0; s < 2000; s++) {
            RandomResizedCrop.Window w = crop.window(375, 500, Rng.of(2, s));
            assertThat(w.top()).isBetween(0, 375 - w.height());
            assertThat(w.left()).isBetween(0, 500 - w.width());
            double fraction = (double) w.height() * w.width() / (375 * 500);
            double ratio = (double) w.width() / w.height();
            // the sides are rounded, so area and ratio can stray a little past the drawn ones
            assertThat(fraction).isBetween(0.08 * 0.97, 1.0);
            assertThat(ratio).isBetween(0.75 * 0.99, 4 / 3.0 * 1.01);
            minFraction = Math.min(minFraction, fraction);
            maxFraction = Math.max(maxFraction, fraction);
        }
        assertThat(minFraction).isLessThan(0.1);
        assertThat(maxFraction).isGreaterThan(0.9);
        // same draws, same window
        assertThat(crop.window(375, 500, Rng.of(2, 7))).isEqualTo(crop.window(375, 500, Rng.of(2, 7)));
    }

    @Test
    void randomResizedCropFallsBackToTheCentralWindow() {
        RandomResizedCrop crop = new RandomResizedCrop(224);
        // no window of 8% or more of a 10x1000 image fits its height: the centre, trimmed to ratio 4/3
        assertThat(crop.window(10, 1000, Rng.of(1))).isEqualTo(new RandomResizedCrop.Window(0, 493, 10, 13));
        assertThat(crop.window(1000, 10, Rng.of(1))).isEqualTo(new RandomResizedCrop.Window(493, 0, 13, 10));
        Sample out = crop.apply(numbered(3, 10, 1000), Rng.of(1));
        assertThat(List.of(out.channels(), out.height(), out.width())).containsExactly(3, 224, 224);
    }

    /** A 1 x 5 x 7 image with values (7y + x^2 mod 11) / 10, the input of the Pillow references below. */
    private static Sample pattern() {
        float[] v = new float[35];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                v[y * 7 + x] = (y * 7 + (x * x) % 11) / 10f;
            }
        }
        return new Sample(v, 1, 5, 7);
    }

    @Test
    void resamplingMatchesPillowsBilinearResize() {
        // references: Pillow 9.4, Image.new("F", (7, 5)) filled with pattern(), then .resize((w, h), BILINEAR)
        assertThat(Resample.resize(pattern(), 0, 0, 5, 7, 2, 3).values()).containsExactly(new float[] {
                0.828571f, 1.305882f, 1.042857f, 2.228571f, 2.705882f, 2.442857f}, within(2e-6f));
        float[] up = Resample.resize(pattern(), 0, 0, 5, 7, 8, 9).values();
        assertThat(up).hasSize(72);
        assertThat(Arrays.copyOfRange(up, 0, 9)).containsExactly(new float[] {
                0.0f, 0.066667f, 0.233333f, 0.511111f, 0.9f, 0.588889f, 0.388889f, 0.3f, 0.3f}, within(2e-6f));
        assertThat(Arrays.copyOfRange(up, 63, 72)).containsExactly(new float[] {
                2.8f, 2.866667f, 3.033333f, 3.311111f, 3.7f, 3.388889f, 3.188889f, 3.1f, 3.1f}, within(2e-6f));
        // .crop((2, 1, 6, 4)).resize((5, 2), BILINEAR): the window only, as torchvision's resized_crop
        assertThat(Resample.resize(pattern(), 1, 2, 3, 4, 2, 5).values()).containsExactly(new float[] {
                1.3625f, 1.7125f, 1.6625f, 1.4025f, 1.2625f, 2.2375f, 2.5875f, 2.5375f, 2.2775f, 2.1375f},
                within(2e-6f));
    }

    @Test
    void imagenetEvaluationResizesTheShorterSideThenCropsTheCentre() {
        Sample wide = new Resize(256).apply(numbered(3, 300, 400), null);
        assertThat(List.of(wide.height(), wide.width())).containsExactly(256, 341);
        Sample tall = new Resize(256).apply(numbered(3, 400, 300), null);
        assertThat(List.of(tall.height(), tall.width())).containsExactly(341, 256);
        Sample same = numbered(1, 256, 300);
        assertThat(new Resize(256).apply(same, null)).isSameAs(same);

        // a constant image stays constant through any resize
        Sample grey = new Sample(filled(3 * 500 * 375, 0.25f), 3, 375, 500);
        Sample out = Transforms.imagenetEval().apply(grey, null);
        assertThat(List.of(out.channels(), out.height(), out.width())).containsExactly(3, 224, 224);
        for (float v : out.values()) {
            assertThat(v).isCloseTo(0.25f, within(1e-6f));
        }

        // centre crop of 256x341: top round(16) = 16, left round(58.5) = 58 (half to even)
        Sample big = numbered(1, 256, 341);
        Sample centre = new CenterCrop(224).apply(big, null);
        assertThat(centre.values()[0]).isEqualTo(big.values()[big.index(0, 16, 58)]);
        assertThat(centre.values()[centre.index(0, 223, 223)]).isEqualTo(big.values()[big.index(0, 239, 281)]);
        // smaller than the window: zero-padded around it (torchvision pads 2 before and 2 after)
        Sample small = numbered(1, 10, 10);
        Sample padded = new CenterCrop(14).apply(small, null);
        assertThat(shiftOf(small, padded)).containsExactly(-2, -2, 0);
    }

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        Arrays.fill(v, value);
        return v;
    }
}
