package dev.addernet.data.source;

import dev.addernet.data.Sample;
import dev.addernet.data.DatasetSplits;
import dev.addernet.data.DataException;
import dev.addernet.data.Normalization;
import dev.addernet.data.ImageSet;
import dev.addernet.data.transform.SampleTransform;
import dev.addernet.data.transform.Transforms;
import dev.addernet.data.transform.CenterCrop;
import dev.addernet.data.loading.Batch;
import dev.addernet.data.loading.BatchLoader;
import dev.addernet.tensor.Rng;
import static dev.addernet.data.source.ImageFiles.grey;
import static dev.addernet.data.source.ImageFiles.rgb;
import static dev.addernet.data.source.ImageFiles.value;
import static dev.addernet.data.source.ImageFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir
    Path dir;

    @Test
    void classesAreSortedFoldersAndImagesSortedPaths() throws IOException {
        Path root = dir.resolve("train");
        write(root.resolve("zebra/b.png"), rgb(0, 4, 5), "png");
        write(root.resolve("zebra/a.PNG"), rgb(1, 4, 5), "png");
        write(root.resolve("ant/x.JPEG"), rgb(2, 6, 3), "jpeg");
        write(root.resolve("ant/nested/y.jpg"), rgb(3, 6, 3), "jpeg");
        Files.writeString(root.resolve("ant/notes.txt"), "not an image");
        Files.createDirectories(root.resolve(".hidden"));

        ImageFolder set = ImageFolder.scan("t", root);

        assertThat(set.classNames()).containsExactly("ant", "zebra");
        assertThat(set.size()).isEqualTo(4);
        assertThat(List.of(set.label(0), set.label(1), set.label(2), set.label(3))).containsExactly(0, 0, 1, 1);
        assertThat(set.file(0)).isEqualTo(root.resolve("ant/nested/y.jpg"));
        assertThat(set.file(1)).isEqualTo(root.resolve("ant/x.JPEG"));
        assertThat(set.file(2)).isEqualTo(root.resolve("zebra/a.PNG"));
        assertThat(set.inMemory()).isFalse();
        assertThat(set.height()).isZero();
        assertThat(set.limit(3).size()).isEqualTo(3);
        assertThat(set.subset(new int[] {3, 0}).file(0)).isEqualTo(root.resolve("zebra/b.png"));
    }

    @Test
    void decodesPngExactlyAndGreyAsThreeEqualChannels() {
        Path root = dir.resolve("train");
        write(root.resolve("a/rgb.png"), rgb(7, 3, 4), "png");
        write(root.resolve("b/grey.png"), grey(8, 2, 3), "png");
        BufferedImage deep = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(0, 0, 0, 65535);
        deep.getRaster().setSample(1, 0, 0, 257 * 100);
        write(root.resolve("c/deep.png"), deep, "png");
        ImageFolder set = ImageFolder.scan("t", root);

        Sample colour = set.sample(0);
        assertThat(colour.channels()).isEqualTo(3);
        assertThat(colour.height()).isEqualTo(3);
        assertThat(colour.width()).isEqualTo(4);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    assertThat(colour.values()[colour.index(c, y, x)]).isEqualTo(value(7, c, y, x) / 255f);
                }
            }
        }
        Sample g = set.sample(1);
        for (int c = 0; c < 3; c++) {
            assertThat(g.values()[g.index(c, 1, 2)]).isEqualTo(value(8, 0, 1, 2) / 255f);
        }
        Sample d = set.sample(2);
        assertThat(d.values()).containsExactly(1f, 100 / 255f, 1f, 100 / 255f, 1f, 100 / 255f);
    }

    @Test
    void cmykJpegsAreConvertedAsPillowDoes() throws IOException {
        // Adobe CMYK JPEGs store inverted values: these become C, M, Y, K = 55, 155, 205, 0
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 8, 4, null);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                raster.setPixel(x, y, new int[] {200, 100, 50, 255});
            }
        }
        Path file = dir.resolve("train/a/cmyk.jpg");
        Files.createDirectories(file.getParent());
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } finally {
            writer.dispose();
        }

        Sample s = ImageFolder.scan("t", dir.resolve("train")).sample(0);

        // Pillow's convert("RGB"): R = 255 - C - K, ...
        assertThat(s.values()[s.index(0, 4, 4)] * 255).isCloseTo(200, within(3f));
        assertThat(s.values()[s.index(1, 4, 4)] * 255).isCloseTo(100, within(3f));
        assertThat(s.values()[s.index(2, 4, 4)] * 255).isCloseTo(50, within(3f));
    }

    @Test
    void badImageFilesAreNamed() throws IOException {
        Path root = dir.resolve("train");
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/fake.jpg"), "GIF89a not really");
        byte[] jpeg = Files.readAllBytes(write(root.resolve("a/real.jpg"), rgb(0, 16, 16), "jpeg"));
        Files.write(root.resolve("a/torn.jpg"), java.util.Arrays.copyOf(jpeg, 30));
        ImageFolder set = ImageFolder.scan("t", root);

        assertThatThrownBy(() -> set.sample(0))
                .isInstanceOf(DataException.class)
                .hasMessage(root.resolve("a/fake.jpg") + ": not a JPEG or PNG image (it starts with bytes 47 49 46 38"
                        + " 39 61 20 6e), expected FF D8 FF (JPEG) or 89 50 4E 47 (PNG)");
        assertThat(set.sample(1).height()).isEqualTo(16);
        assertThatThrownBy(() -> set.sample(2))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(root.resolve("a/torn.jpg") + ": corrupt or unsupported image (");
        Files.delete(root.resolve("a/real.jpg"));
        assertThatThrownBy(() -> set.sample(1))
                .isInstanceOf(DataException.class)
                .hasMessage(root.resolve("a/real.jpg") + ": image file does not exist");
    }

    @Test
    void testSplitUsesTheTrainingLabelsAndRejectsUnknownClasses() {
        write(dir.resolve("train/cat/1.png"), rgb(0, 2, 2), "png");
        write(dir.resolve("train/dog/1.png"), rgb(1, 2, 2), "png");
        write(dir.resolve("val/dog/1.png"), rgb(2, 2, 2), "png");

        ImageFolder train = ImageFolder.scan("t/train", dir.resolve("train"));
        ImageFolder test = ImageFolder.scan("t/test", dir.resolve("val"), train.classNames());

        assertThat(test.size()).isEqualTo(1);
        assertThat(test.label(0)).isEqualTo(1);
        assertThat(test.classNames()).containsExactly("cat", "dog");

        write(dir.resolve("val/emu/1.png"), rgb(3, 2, 2), "png");
        assertThatThrownBy(() -> ImageFolder.scan("t/test", dir.resolve("val"), train.classNames()))
                .isInstanceOf(DataException.class)
                .hasMessage("t/test: class folder " + dir.resolve("val/emu") + " is not one of the 2 training"
                        + " classes, expected one of: cat, dog");
        assertThatThrownBy(() -> ImageFolder.scan("t", dir.resolve("nothing")))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir.resolve("nothing") + " does not exist or is not a folder");
        write(dir.resolve("empty/none/readme.txt.png.txt"), rgb(3, 2, 2), "png");
        assertThatThrownBy(() -> ImageFolder.scan("t", dir.resolve("empty")))
                .isInstanceOf(DataException.class)
                .hasMessage("t: class folder " + dir.resolve("empty/none") + " holds no image, expected .jpg, .jpeg"
                        + " or .png files");
    }

    @Test
    void imagefolderOf32x32ImagesIsCifarLikeAndInMemory() {
        write(dir.resolve("train/b/0.png"), rgb(0, 32, 32), "png");
        write(dir.resolve("train/a/0.png"), grey(1, 32, 32), "png");
        write(dir.resolve("test/a/0.png"), rgb(2, 32, 32), "png");

        DatasetSplits splits = Datasets.resolve("imagefolder", dir);

        ImageSet train = splits.train();
        assertThat(train.size()).isEqualTo(2);
        assertThat(train.classNames()).containsExactly("a", "b");
        assertThat(train.labels()).containsExactly(0, 1);
        assertThat(train.pixels()[3072 + 1024 + 32 * 3 + 4] & 0xFF).isEqualTo(value(0, 1, 3, 4));
        assertThat(train.pixels()[2 * 1024 + 5] & 0xFF).isEqualTo(value(1, 0, 0, 5)); // grey copied to blue
        assertThat(splits.norm()).isEqualTo(Normalization.CIFAR);
        assertThat(BatchLoader.outputShape(train, splits.trainTransform())).containsExactly(3, 32, 32);

        write(dir.resolve("train/b/1.png"), rgb(3, 30, 32), "png");
        assertThatThrownBy(() -> Datasets.resolve("imagefolder", dir))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("train/b/1.png") + ": a 30x32 RGB image, expected 32x32 as every image of"
                        + " imagefolder/train");
    }

    @Test
    void imagefolderOfLargerImagesIsImagenetLikeAndLazy() {
        write(dir.resolve("train/x/0.jpg"), rgb(0, 40, 50), "jpeg");
        write(dir.resolve("train/y/0.png"), rgb(1, 300, 200), "png");
        write(dir.resolve("val/y/0.png"), rgb(2, 20, 20), "png");

        DatasetSplits splits = Datasets.resolve("imagefolder", dir);

        assertThat(splits.trainImages()).isInstanceOf(ImageFolder.class);
        assertThat(splits.testImages().size()).isEqualTo(1);
        assertThat(splits.norm()).isEqualTo(Normalization.IMAGENET);
        assertThat(BatchLoader.outputShape(splits.trainImages(), splits.trainTransform())).containsExactly(3, 224, 224);
        assertThat(BatchLoader.outputShape(splits.testImages(), splits.evalTransform())).containsExactly(3, 224, 224);
        assertThatThrownBy(splits::train)
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("imagefolder/train is read lazily from disk");
    }

    @Test
    void imagenetIsLazyAndNeedsTrainAndTestFolders() {
        write(dir.resolve("train/n01/a.JPEG"), rgb(0, 60, 80), "jpeg");

        assertThatThrownBy(() -> Datasets.resolve("imagenet", dir))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("imagenet: " + dir + " lacks test/ (or val/), expected " + dir.resolve("train")
                        + "/<class>/<image>.jpg");
        write(dir.resolve("val/n01/b.JPEG"), rgb(1, 80, 60), "jpeg");

        DatasetSplits splits = Datasets.resolve("imagenet", dir);

        assertThat(splits.trainImages().inMemory()).isFalse();
        assertThat(splits.trainImages().classNames()).containsExactly("n01");
        assertThat(splits.norm()).isEqualTo(Normalization.IMAGENET);
        assertThatThrownBy(() -> Datasets.resolve("imagenet", dir.resolve("none")))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("imagenet: --data-dir " + dir.resolve("none") + " does not exist");
    }

    @Test
    void cifar10JpegLoadsIntoMemoryWithCifarConventions() {
        ImageFiles.cifarTree(dir, 2);
        BufferedImage solid = new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                solid.setRGB(x, y, 200 << 16 | 100 << 8 | 30);
            }
        }
        write(dir.resolve("train/airplane/0000.jpg"), solid, "jpeg");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ImageFolder train = ImageFolder.scan("c/train", dir.resolve("train"));

        ImageSet set = train.toImageSet(32, 32, true, new PrintStream(err, true));
        DatasetSplits splits = Datasets.resolve("cifar10-jpeg", dir);

        assertThat(err.toString()).contains("decoded c/train: 20 images in ");
        assertThat(set.size()).isEqualTo(20);
        assertThat(splits.train().size()).isEqualTo(20);
        assertThat(splits.test().size()).isEqualTo(10);
        assertThat(splits.train().classNames()).isEqualTo(ImageFolderDataset.CIFAR10_CLASSES);
        assertThat(splits.test().labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(splits.norm()).isEqualTo(Normalization.CIFAR);
        // JPEG is lossy, but a flat colour survives nearly unchanged, channels in R, G, B order
        Sample first = splits.train().sample(0);
        for (int y = 0; y < 32; y += 5) {
            assertThat(first.values()[first.index(0, y, 7)] * 255).isCloseTo(200, within(3f));
            assertThat(first.values()[first.index(1, y, 7)] * 255).isCloseTo(100, within(3f));
            assertThat(first.values()[first.index(2, y, 7)] * 255).isCloseTo(30, within(3f));
        }
    }

    @Test
    void cifar10JpegChecksFolderNamesSizeAndColour() throws IOException {
        ImageFiles.cifarTree(dir, 1);
        Files.move(dir.resolve("train/truck"), dir.resolve("train/lorry"));
        assertThatThrownBy(() -> Datasets.resolve("cifar10-jpeg", dir))
                .isInstanceOf(DataException.class)
                .hasMessage("cifar10-jpeg: " + dir.resolve("train") + " has class folders airplane, automobile,"
                        + " bird, cat, deer, dog, frog, horse, lorry, ship, expected exactly the CIFAR-10 classes"
                        + " airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck");
        Files.move(dir.resolve("train/lorry"), dir.resolve("train/truck"));

        write(dir.resolve("train/cat/0000.jpg"), rgb(0, 28, 28), "jpeg");
        assertThatThrownBy(() -> Datasets.resolve("cifar10-jpeg", dir))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("train/cat/0000.jpg") + ": a 28x28 RGB image, expected 32x32 RGB as every"
                        + " image of cifar10-jpeg/train");

        write(dir.resolve("train/cat/0000.jpg"), grey(0, 32, 32), "jpeg");
        assertThatThrownBy(() -> Datasets.resolve("cifar10-jpeg", dir))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("train/cat/0000.jpg") + ": a 32x32 grey image, expected 32x32 RGB as every"
                        + " image of cifar10-jpeg/train");

        assertThatThrownBy(() -> ImageFolderDataset.CIFAR10_JPEG.load(null, dir.resolve("no-cache")))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("cifar10-jpeg: no --data-dir given and " + dir.resolve("no-cache")
                        + " does not exist; this dataset is not downloaded automatically: pass --data-dir DIR with");
    }

    @Test
    void aLazyFolderIsDecodedOnTheLoadersThreads() {
        int[][] sizes = {{300, 200}, {120, 160}, {224, 224}, {64, 500}, {90, 90}, {256, 300}, {40, 41}};
        for (int i = 0; i < sizes.length; i++) {
            write(dir.resolve("train").resolve(i % 2 == 0 ? "even" : "odd").resolve(i + ".png"),
                    rgb(i, sizes[i][0], sizes[i][1]), "png");
        }
        ImageFolder set = ImageFolder.scan("lazy", dir.resolve("train"));
        Set<String> threads = ConcurrentHashMap.newKeySet();
        SampleTransform spy = (sample, random) -> {
            threads.add(Thread.currentThread().getName());
            return sample;
        };
        SampleTransform eval = spy.andThen(Transforms.imagenetEval());

        List<Batch> batches = new ArrayList<>();
        try (BatchLoader loader = new BatchLoader(set, 3, false, 0, 0, Normalization.IMAGENET, eval, false)) {
            loader.forEach(batches::add);
        }

        assertThat(batches).extracting(Batch::count).containsExactly(3, 3, 1);
        assertThat(batches.get(0).height()).isEqualTo(224);
        assertThat(threads).contains("addernet-decode");
        // image i of the set, through the same transform and normalisation, is slot i of the batches
        for (int i = 0; i < set.size(); i++) {
            Batch batch = batches.get(i / 3);
            Sample expected = Transforms.imagenetEval().apply(set.sample(i), new Rng(0));
            int size = 3 * 224 * 224;
            for (int k = 0; k < size; k += 997) {
                float want = (expected.values()[k] - Normalization.IMAGENET.mean(k / (224 * 224)))
                        / Normalization.IMAGENET.std(k / (224 * 224));
                assertThat(batch.images()[(i % 3) * size + k]).isEqualTo(want);
            }
            assertThat(batch.labels()[i % 3]).isEqualTo(set.label(i));
        }
        // augmentation draws depend on (seed, epoch, image), not on which thread decoded what
        assertThat(images(set, 5)).isEqualTo(images(set, 5)).isNotEqualTo(images(set, 6));
    }

    /** All batch values of one shuffled, augmented epoch of {@code set}, concatenated. */
    private static float[] images(ImageFolder set, int epoch) {
        float[] out = new float[0];
        try (BatchLoader loader = new BatchLoader(set, 2, true, 11, epoch, Normalization.IMAGENET,
                Transforms.imagenetTrain(), false)) {
            for (Batch batch : loader) {
                int from = out.length;
                out = java.util.Arrays.copyOf(out, from + batch.images().length);
                System.arraycopy(batch.images(), 0, out, from, batch.images().length);
            }
        }
        return out;
    }

    @Test
    void lazyErrorsReachTheConsumerAndMixedSizesNeedATransform() throws IOException {
        write(dir.resolve("train/a/0.png"), rgb(0, 20, 20), "png");
        write(dir.resolve("train/a/1.png"), rgb(1, 20, 30), "png");
        Files.writeString(dir.resolve("train/a/2.png"), "broken");
        ImageFolder set = ImageFolder.scan("mixed", dir.resolve("train"));

        try (BatchLoader loader = new BatchLoader(set, 2, false, 0, 0, Normalization.IMAGENET,
                SampleTransform.identity(), false)) {
            assertThatThrownBy(() -> loader.iterator().next())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the images of mixed differ in size, so the transform must give them one size");
        }
        try (BatchLoader loader = new BatchLoader(set, 2, false, 0, 0, Normalization.IMAGENET,
                new CenterCrop(16), false)) {
            Iterator<Batch> batches = loader.iterator();
            assertThat(batches.next().count()).isEqualTo(2);
            assertThatThrownBy(batches::next)
                    .isInstanceOf(DataException.class)
                    .hasMessageStartingWith(dir.resolve("train/a/2.png") + ": not a JPEG or PNG image");
        }
    }
}
