package dev.addernet.data.source;

import dev.addernet.data.DatasetSplits;
import dev.addernet.data.Normalization;
import dev.addernet.data.ImageSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real CIFAR-10 JPEG tree of the shared data folder, when this machine has it: the whole set is
 * read as the trainer would, then checked.
 */
class Cifar10JpegTreeTest {

    static final Path TREE = Path.of("/work/shared/data/cifar10-jpeg");

    @Test
    void loadsAllSixtyThousandImagesWithTheCifarClasses() throws IOException {
        assumeTrue(Files.isDirectory(TREE.resolve("train")) && Files.isDirectory(TREE.resolve("test")),
                TREE + " is not on this machine");

        long start = System.nanoTime();
        DatasetSplits splits = Datasets.resolve("cifar10-jpeg", TREE);
        double seconds = (System.nanoTime() - start) / 1e9;

        ImageSet train = splits.train();
        ImageSet test = splits.test();
        assertThat(train.size()).isEqualTo(50_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(train.classNames()).containsExactly("airplane", "automobile", "bird", "cat", "deer", "dog",
                "frog", "horse", "ship", "truck");
        int[] perClass = new int[10];
        for (int label : train.labels()) {
            perClass[label]++;
        }
        assertThat(perClass).containsOnly(5000);
        assertThat(test.label(0)).isZero();
        assertThat(test.label(9_999)).isEqualTo(9);
        try (Stream<Path> cats = Files.list(TREE.resolve("test/cat"))) {
            assertThat(cats.count()).isEqualTo(1000);
        }
        // the images are real photographs, not blank: the means are near CIFAR's published ones
        double[] mean = new double[3];
        byte[] pixels = train.pixels();
        for (int i = 0; i < pixels.length; i++) {
            mean[i % 3072 / 1024] += (pixels[i] & 0xFF) / 255.0;
        }
        for (int c = 0; c < 3; c++) {
            assertThat(mean[c] / (train.size() * 1024.0)).isCloseTo(Normalization.CIFAR.mean(c), org.assertj.core.api.Assertions.within(0.01));
        }
        // printed, not asserted: speed is the benchmarks' business, and a loaded machine would fail a time limit
        System.err.printf("cifar10-jpeg: 60,000 images loaded in %.1f s%n", seconds);
    }
}
